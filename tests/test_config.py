"""Configuration: safe development defaults, production refuses the development secret."""

import pytest

import config
from leasing import create_app


def test_production_refuses_the_development_secret():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": config.DEV_SECRET_KEY,
                "SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.sqlite",
            }
        )


def test_production_refuses_a_short_secret():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {"ENV_NAME": "production", "SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.sqlite"}
        )


def test_production_cookie_is_secure_host_prefixed():
    app = create_app(
        {"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.sqlite"}
    )
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "y" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/from-env.sqlite")
    import importlib

    reloaded = importlib.reload(config)
    try:
        assert reloaded.Config.SECRET_KEY == "y" * 40
        assert reloaded.Config.SQLALCHEMY_DATABASE_URI == "sqlite:////tmp/from-env.sqlite"
    finally:
        monkeypatch.undo()
        importlib.reload(config)
