"""The xuanpin command's set-up tasks: logins and the ledger check."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from store_api.cli import main
from store_api.core.state import state
from store_api.staff.models import User


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    return runner


def test_create_user_hashes_the_password(runner):
    result = runner.invoke(main, ["create-user", "lily", "--role", "manager"],
                           input="correct horse 1\ncorrect horse 1\n")
    assert result.exit_code == 0, result.output
    from store_api import create_app

    app = create_app()
    with state(app).db.read_session() as session:
        user = session.scalar(select(User).where(User.username == "lily"))
        assert user.role == "manager"
        assert "correct horse" not in user.password_hash
        assert user.check_password("correct horse 1") and not user.check_password("wrong")
    state(app).db.dispose()


@pytest.mark.parametrize("args, complaint", [
    (["create-user", "ab", "--password", "short"], "A password needs 10"),
    (["create-user", "ab", "--role", "factory", "--password", "long enough 1"],
     "needs its factory"),
    (["create-user", "ab", "--factory", "TZ-HY", "--password", "long enough 1"],
     "needs its factory"),
    (["create-user", "ab", "--role", "factory", "--factory", "NOPE", "--password",
      "long enough 1"], "no such factory"),
    (["create-user", "Not A Name", "--password", "long enough 1"], "lower-case"),
    (["create-user", "a", "--role", "boss", "--password", "long enough 1"], "boss"),
])
def test_create_user_refuses_bad_input(runner, args, complaint):
    result = runner.invoke(main, args)
    assert result.exit_code != 0
    assert complaint in result.output


def test_create_user_refuses_a_taken_name(runner):
    args = ["create-user", "sam", "--password", "long enough 1"]
    assert runner.invoke(main, args).exit_code == 0
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "sam is taken" in result.output


def test_check_exits_non_zero_on_drift(runner):
    assert runner.invoke(main, ["demo"]).exit_code == 0
    from store_api import create_app

    app = create_app()
    with state(app).db.unit_of_work() as session:
        session.execute(text("UPDATE stock_levels SET on_hand = on_hand + 1 "
                             "WHERE product_id = (SELECT MIN(product_id) FROM stock_levels)"))
    state(app).db.dispose()
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert "drift: product" in result.output


def test_bad_settings_stop_the_command_with_the_key_named(runner, monkeypatch):
    monkeypatch.setenv("XUANPIN_SERVER_PORT", "lots")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1 and "server.port" in result.output


def test_factory_webhook_sets_the_url_and_shows_the_secret_once(runner):
    from store_api import create_app
    from store_api.core import webhooks
    from store_api.factories.models import Factory

    assert runner.invoke(main, ["demo"]).exit_code == 0
    result = runner.invoke(main, ["factory-webhook", "YK-BL", "https://erp.bolang.example/hooks"])
    assert result.exit_code == 0, result.output
    secret = result.output.split(": ")[-1].strip()
    assert secret.startswith("whsec_")
    app = create_app()
    with state(app).db.read_session() as session:
        factory = session.scalar(select(Factory).where(Factory.code == "YK-BL"))
        assert factory.webhook_url == "https://erp.bolang.example/hooks"
        assert secret not in factory.webhook_secret_encrypted
        assert webhooks.unseal(factory.webhook_secret_encrypted,
                               app.config["SECRET_KEY"]) == secret
    state(app).db.dispose()
    listing = runner.invoke(main, ["factories"]).output
    assert "YK-BL" in listing and "https://erp.bolang.example/hooks" in listing
    assert "portal only" in listing
    for args, complaint in ((["NOPE", "https://x.example/h"], "no such factory"),
                            (["YK-BL", "ftp://x.example/h"], "http"),
                            (["YK-BL", "http://169.254.169.254/"], "allow_private_webhooks")):
        result = runner.invoke(main, ["factory-webhook", *args])
        assert result.exit_code != 0 and complaint in result.output


def test_factory_token_is_shown_once_works_for_its_factory_and_can_be_revoked(runner):
    from store_api import create_app

    assert runner.invoke(main, ["demo"]).exit_code == 0
    result = runner.invoke(main, ["factory-token", "YK-BL"])
    assert result.exit_code == 0, result.output
    token = result.output.split(": ")[-1].strip()
    assert token.startswith("xpf.YK-BL.")
    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    stock = client.get("/api/v1/factory/stock", headers=headers).get_json()
    assert stock["rows"] and all(row["sku"].startswith("YK-BL-") for row in stock["rows"])
    assert "api token set" in runner.invoke(main, ["factories"]).output
    assert runner.invoke(main, ["factory-token", "YK-BL", "--revoke"]).exit_code == 0
    assert client.get("/api/v1/factory/stock", headers=headers).status_code == 401
    state(app).db.dispose()
    unknown = runner.invoke(main, ["factory-token", "NOPE"])
    assert unknown.exit_code != 0 and "There is no such factory." in unknown.output
