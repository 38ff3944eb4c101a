"""Deliveries signed here verify with the Standard Webhooks reference library."""

import json
import time

import pytest
from cryptography.fernet import InvalidToken
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from store_api.core import webhooks

BODY = json.dumps({"forward": "msg_1", "lines": [{"sku": "YK-BL-001", "quantity": 24}]},
                  ensure_ascii=False).encode()


def test_a_signed_delivery_verifies_with_the_reference_library():
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_") and len(secret) >= 6 + 44
    headers = webhooks.headers([secret], "msg_1", int(time.time()), BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_during_a_rotation_either_secret_verifies():
    old, new = webhooks.new_secret(), webhooks.new_secret()
    headers = webhooks.headers([old, new], "msg_2", int(time.time()), BODY)
    assert len(headers["webhook-signature"].split()) == 2
    for secret in (old, new):
        Webhook(secret).verify(BODY, headers)


def test_a_changed_body_or_another_secret_fails():
    secret = webhooks.new_secret()
    headers = webhooks.headers([secret], "msg_3", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(BODY, headers)


def test_secrets_are_stored_encrypted_and_need_the_app_secret():
    secret = webhooks.new_secret()
    sealed = webhooks.seal(secret, "app-secret-1")
    assert secret not in sealed
    assert webhooks.unseal(sealed, "app-secret-1") == secret
    with pytest.raises(InvalidToken):
        webhooks.unseal(sealed, "another-app-secret")
