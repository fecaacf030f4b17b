"""Production serving: gunicorn sized for the cores, static files served by the app itself."""

import multiprocessing
import runpy
from pathlib import Path

import pytest
from django.test import Client

CONFIG = Path(__file__).resolve().parents[2] / "crm_project" / "gunicorn.conf.py"


def load_config(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_gunicorn_runs_two_workers_per_core_plus_one(monkeypatch):
    config = load_config(monkeypatch)
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["bind"] == "127.0.0.1:8000"
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    config = load_config(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="0.0.0.0:9000")
    assert (config["workers"], config["bind"]) == (3, "0.0.0.0:9000")


@pytest.mark.django_db
def test_static_files_are_served_without_a_separate_file_server(settings):
    settings.WHITENOISE_USE_FINDERS = True  # in production: collectstatic output (make serve)
    response = Client().get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
