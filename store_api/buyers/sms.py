"""Sending one-time codes by SMS: the outbox handler and the two senders `sms.provider` names,
`log` (the server log, for the demo and tests) and `aliyun` (Alibaba Cloud SMS, its own SDK)."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from store_api.buyers.codes import unseal
from store_api.core.setting_sections import Sms
from store_api.core.worker import GiveUp, RetryLater

if TYPE_CHECKING:
    from store_api.core.state import AppState

log = logging.getLogger("xuanpin.sms")
# A code is valid five minutes: a send still failing after these waits is no longer worth it.
SCHEDULE = (2, 5, 15, 30, 60, 120)


def send_code(message, app_state: AppState) -> None:
    """Send the code an outbox message carries to its phone, by the configured provider."""
    payload = message.payload
    try:
        code = unseal(app_state.app.config["SECRET_KEY"].encode(), payload["sealed"])
    except ValueError as error:
        raise GiveUp(str(error)) from None
    sender = SENDERS[app_state.settings.sms.provider]
    sender(app_state.settings.sms, payload["phone"], code)


def send_to_log(settings: Sms, phone: str, code: str) -> None:
    """Write the code to the server log: how the demo and the tests receive it."""
    log.warning("sms code for %s: %s", phone, code)


def send_with_aliyun(settings: Sms, phone: str, code: str) -> None:
    """Send the code with Alibaba Cloud SMS; a failure the service may recover from retries."""
    # Imported here: the SDK is large, and only a centre that sends real SMS needs it loaded.
    from alibabacloud_dysmsapi20170525 import models
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import models as api_models
    from darabonba.runtime import RuntimeOptions

    endpoint = urlsplit(settings.aliyun_endpoint)
    client = Client(api_models.Config(
        access_key_id=settings.aliyun_access_key_id,
        access_key_secret=settings.aliyun_access_key_secret,
        endpoint=endpoint.netloc, protocol=endpoint.scheme))
    request = models.SendSmsRequest(
        phone_numbers=phone, sign_name=settings.aliyun_sign_name,
        template_code=settings.aliyun_template_code, template_param=json.dumps({"code": code}))
    wait_ms = int(settings.timeout_s * 1000)
    try:
        answer = client.send_sms_with_options(
            request, RuntimeOptions(connect_timeout=wait_ms, read_timeout=wait_ms))
    except Exception as error:  # the SDK raises its own and the network's errors alike
        raise RetryLater(f"Alibaba Cloud SMS: {type(error).__name__}: {error}") from None
    if answer.body.code != "OK":
        # Refusals such as a bad template or signature do not heal by waiting; a flow limit
        # (isv.BUSINESS_LIMIT_CONTROL) does, and the schedule is short either way.
        raise RetryLater(f"Alibaba Cloud SMS refused: {answer.body.code} {answer.body.message}")


SENDERS = {"log": send_to_log, "aliyun": send_with_aliyun}
