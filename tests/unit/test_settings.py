"""Settings: defaults, a file, the environment, and a clear stop on anything unknown or bad."""

import tomllib

import pytest

from store_api.core.resources import config_dir
from store_api.core.settings import SettingsError, env_name, load_settings


def test_every_default_is_documented_by_a_comment():
    lines = (config_dir() / "default.toml").read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"no comment above {line!r}"


def test_defaults_load_with_sqlite_under_var(tmp_path):
    settings = load_settings({"paths.var_dir": str(tmp_path)}, environ={})
    assert settings["server.port"] == 8000
    assert settings.database_url == f"sqlite:///{tmp_path / 'xuanpin.db'}"


def test_environment_overrides_with_the_right_type():
    settings = load_settings(environ={
        "XUANPIN_SERVER_PORT": "9001",
        "XUANPIN_DATABASE_ECHO": "yes",
        "XUANPIN_WORKER_POLL_INTERVAL_S": "0.25",
        "XUANPIN_I18N_LOCALES": "en, zh_CN",
        "XUANPIN_I18N_DEFAULT_LOCALE": "en",
        "XUANPIN_REDIS_URL": "redis://127.0.0.1:6379/0",
    })
    assert settings["server.port"] == 9001
    assert settings["database.echo"] is True
    assert settings["worker.poll_interval_s"] == 0.25
    assert settings["i18n.locales"] == ["en", "zh_CN"]
    assert settings["redis.url"] == "redis://127.0.0.1:6379/0"


def test_a_file_named_by_xuanpin_config_overrides_defaults(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[server]\nport = 8100\n[database]\nurl = "postgresql+psycopg://x@h/db"\n')
    settings = load_settings(environ={"XUANPIN_CONFIG": str(path), "XUANPIN_SERVER_PORT": "8200"})
    assert settings["server.port"] == 8200  # the environment wins over the file
    assert settings.database_url == "postgresql+psycopg://x@h/db"


@pytest.mark.parametrize("environ, named", [
    ({"XUANPIN_SERVER_PROT": "1"}, "XUANPIN_SERVER_PROT"),
    ({"XUANPIN_SERVER_PORT": "eighty"}, "server.port"),
    ({"XUANPIN_SERVER_PORT": "70000"}, "server.port"),
    ({"XUANPIN_DATABASE_ECHO": "maybe"}, "database.echo"),
    ({"XUANPIN_DATABASE_URL": "mysql://x"}, "database.url"),
    ({"XUANPIN_REDIS_URL": "127.0.0.1:6379"}, "redis.url"),
    ({"XUANPIN_WORKER_LEASE_SECONDS": "0"}, "worker.lease_seconds"),
    ({"XUANPIN_LOG_LEVEL": "LOUD"}, "log.level"),
    ({"XUANPIN_I18N_DEFAULT_LOCALE": "fr"}, "i18n.default_locale"),
    ({"XUANPIN_SERVER_PUBLIC_BASE_URL": "shop.example"}, "server.public_base_url"),
])
def test_bad_environment_stops_with_the_key_named(environ, named):
    with pytest.raises(SettingsError, match=named.replace(".", r"\.")):
        load_settings(environ=environ)


@pytest.mark.parametrize("content, named", [
    ("[server]\nprot = 1\n", "server.prot"),
    ("[server]\nport = \"8000\"\n", "server.port"),
    ("[server]\nworkers = 1.5\n", "server.workers"),
    ("[nosuch]\nkey = 1\n", "nosuch.key"),
    ("port = 1\n", "port"),
    ("[server\n", "not valid TOML"),
])
def test_bad_file_stops_with_the_key_named(tmp_path, content, named):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(SettingsError, match=named.replace(".", r"\.")):
        load_settings(environ={"XUANPIN_CONFIG": str(path)})


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="XUANPIN_CONFIG"):
        load_settings(environ={"XUANPIN_CONFIG": str(tmp_path / "none.toml")})


def test_every_setting_has_an_environment_name():
    defaults = tomllib.loads((config_dir() / "default.toml").read_text("utf-8"))
    names = [env_name(f"{s}.{k}") for s, keys in defaults.items() for k in keys]
    assert len(names) == len(set(names))
    assert "XUANPIN_DATABASE_URL" in names and "XUANPIN_REDIS_URL" in names


def test_readme_lists_every_setting():
    readme = (config_dir().parent / "README.md").read_text("utf-8")
    defaults = tomllib.loads((config_dir() / "default.toml").read_text("utf-8"))
    missing = [f"{s}.{k}" for s, keys in defaults.items() for k in keys
               if f"`{env_name(f'{s}.{k}')}`" not in readme]
    assert missing == []


def test_the_production_example_is_valid_once_its_key_is_set_and_sends_streams_to_gevent():
    from store_api.core.resources import config_dir

    example = {"XUANPIN_CONFIG": str(config_dir() / "production.example.toml")}
    with pytest.raises(SettingsError, match="server.secret_key"):
        load_settings(environ=example)  # its change-me is refused until replaced
    settings = load_settings(environ={**example, "XUANPIN_SERVER_SECRET_KEY": "a1" * 32})
    assert settings["streams.max_clients"] >= 1000 and settings["redis.url"].startswith("redis")
    assert settings["worker.run_in_serve"] is False


@pytest.mark.parametrize("key", ["change-me", "CHANGE-ME", "secret", "short-but-random-Zx81",
                                 "x" * 31])
def test_an_example_or_short_secret_key_stops_start_up(key):
    with pytest.raises(SettingsError, match="server.secret_key"):
        load_settings(overrides={"server.secret_key": key}, environ={})


def test_a_long_secret_key_or_none_is_taken():
    assert load_settings(overrides={"server.secret_key": "k" * 32}, environ={})
    assert load_settings(overrides={"server.secret_key": ""}, environ={})  # random, in var/


def test_code_reads_typed_sections_that_hold_every_setting_and_nothing_else():
    import dataclasses

    from store_api.core.setting_sections import SECTIONS

    settings = load_settings(overrides={"orders.hold_minutes": 45}, environ={})
    fields = {f"{section}.{field.name}" for section, kind in SECTIONS.items()
              for field in dataclasses.fields(kind)}
    assert fields == set(settings)
    for key in settings:
        section, name = key.split(".")
        assert getattr(getattr(settings, section), name) == settings[key], key
    assert settings.orders.hold_minutes == 45 and isinstance(settings.centre.latitude, float)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.orders.hold_minutes = 1
