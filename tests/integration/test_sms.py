"""Codes leave by SMS through the outbox: Alibaba Cloud's own SDK against a stand-in of the
service on 127.0.0.1, retried by the worker when the service fails, and the `log` sender."""

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.core.models import OutboxMessage, utcnow
from store_api.core.settings import SettingsError, load_settings
from store_api.core.state import state
from store_api.core.worker import Worker
from tests.support.buyers import texted_code
from tests.support.services import SmsService

ALIYUN = {"sms.provider": "aliyun", "sms.aliyun_access_key_id": "LTAI-test-id",
          "sms.aliyun_access_key_secret": "test-secret", "sms.aliyun_sign_name": "义乌选品中心",
          "sms.aliyun_template_code": "SMS_480215001", "sms.timeout_s": 2.0}


@pytest.fixture
def service():
    stand_in = SmsService()
    yield stand_in
    stand_in.stop()


def sms_message(app) -> OutboxMessage:
    with state(app).db.read_session() as session:
        return session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "sms.code"))


def test_the_sdk_sends_the_code_to_the_service(make_app, service):
    app = make_app(**ALIYUN, **{"sms.aliyun_endpoint": service.url})
    answer = app.test_client().post("/api/v1/buyer/code", json={"phone": "138 0013 8000"})
    assert answer.status_code == 202 and answer.json["phone"] == "138****8000"
    assert service.requests == []  # the request did not wait for the SMS service
    assert Worker(state(app)).run_once() == 1
    [sent] = service.requests
    assert sent["headers"]["x-acs-action"] == "SendSms"
    assert sent["headers"]["x-acs-version"] == "2017-05-25"
    assert "Credential=LTAI-test-id" in sent["headers"]["authorization"]
    params = sent["params"]
    assert (params["PhoneNumbers"], params["SignName"], params["TemplateCode"]) == (
        "13800138000", "义乌选品中心", "SMS_480215001")
    assert json.loads(params["TemplateParam"]) == {"code": texted_code(app, "13800138000")}
    assert sms_message(app).status == "done"


def test_a_failing_service_is_retried_by_the_worker(make_app, service):
    service.fail_first = 1
    app = make_app(**ALIYUN, **{"sms.aliyun_endpoint": service.url})
    answer = app.test_client().post("/api/v1/buyer/code", json={"phone": "13800138000"})
    assert answer.status_code == 202
    Worker(state(app)).run_once()
    message = sms_message(app)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("RetryLater: Alibaba Cloud SMS")
    assert Worker(state(app)).run_once() == 0  # not due yet
    state(app).clock.now = utcnow() + timedelta(seconds=3)
    assert Worker(state(app)).run_once() == 1
    assert len(service.requests) == 2 and sms_message(app).status == "done"


def test_an_unreachable_service_is_retried_too(make_app):
    closed = SmsService()
    closed.stop()
    app = make_app(**ALIYUN, **{"sms.aliyun_endpoint": closed.url})
    assert app.test_client().post("/api/v1/buyer/code",
                                  json={"phone": "13800138000"}).status_code == 202
    Worker(state(app)).run_once()
    assert (sms_message(app).status, sms_message(app).attempts) == ("pending", 1)


def test_the_log_sender_writes_the_code_to_the_server_log(app, caplog):
    app.test_client().post("/api/v1/buyer/code", json={"phone": "13800138000"})
    with caplog.at_level(logging.WARNING, logger="xuanpin.sms"):
        Worker(state(app)).run_once()
    assert f"sms code for 13800138000: {texted_code(app, '13800138000')}" in caplog.text


def test_aliyun_needs_its_settings_complete():
    with pytest.raises(SettingsError, match="sms.aliyun_sign_name"):
        load_settings({**ALIYUN, "sms.aliyun_sign_name": ""})


def test_the_log_sender_under_production_settings_warns_naming_the_setting(make_app, capfd,
                                                                          postgres_server):
    make_app(**{"database.url": postgres_server.create_database("t_sms_warning")})
    printed = capfd.readouterr().err
    assert "sms.provider" in printed and "XUANPIN_SMS_PROVIDER" in printed
    make_app()  # SQLite, the demo's database: no warning
    assert "sms.provider" not in capfd.readouterr().err
