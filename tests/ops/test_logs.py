"""JSON request logs: one line per request with the request id, never a personnummer."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils.log import DEFAULT_LOGGING

from stegvis.audit.middleware import request_id_for
from stegvis.audit.models import AuditEvent
from stegvis.ops.logs import JsonFormatter, PlainFormatter, redact, redact_path

PNR = "197306107405"


class LogOutput:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self) -> list[dict]:
        return [line for line in self.lines() if line["logger"] == "stegvis.request"]


@pytest.fixture
def log_output() -> Iterator[LogOutput]:
    """Everything logged, written by the production configuration (JSON) into a string."""
    config = dict(settings.LOGGING)
    config["handlers"] = {
        "console": {**settings.LOGGING["handlers"]["console"], "formatter": "json"}
    }
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    logging.config.dictConfig(DEFAULT_LOGGING)  # as django.setup() does, then the settings
    logging.config.dictConfig(config)
    output = LogOutput()
    (handler,) = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
    handler.setStream(output.stream)
    yield output
    logging.config.dictConfig(settings.LOGGING)
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


# --- redaction -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["197306107405", "19730610-7405", "730610-7405", "7306107405",
                                    "730610+7405"])
def test_redact_replaces_every_personnummer_shape(number):
    assert number not in redact(f"Not Found: /deltagare/{number}/")
    assert "[personnummer]" in redact(f"x {number} y")


def test_redact_keeps_ordinary_numbers_and_ids():
    text = "/deltagare/1234/ 2026-12-01 took 12.5 ms id 42"
    assert redact(text) == text


def test_redact_path_drops_the_query_string():
    assert redact_path(f"/deltagare/{PNR}/?q={PNR}") == "/deltagare/[personnummer]/"


def test_djangos_not_found_line_does_not_echo_a_personnummer():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", (f"/deltagare/{PNR}/",), None)
    for formatter in (JsonFormatter(), PlainFormatter("%(message)s")):
        line = formatter.format(record)
        assert PNR not in line
        assert "Not Found: /deltagare/[personnummer]/" in line


def test_traceback_is_logged_and_redacted():
    try:
        raise ValueError(f"no participant {PNR}")
    except ValueError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/x/",), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: no participant [personnummer]" in line["traceback"]
    assert PNR not in json.dumps(line)


# --- request ids -----------------------------------------------------------------------------


def test_incoming_request_id_is_kept_when_well_formed():
    assert request_id_for("lb-4f1c2a9b77e04d21") == "lb-4f1c2a9b77e04d21"
    assert request_id_for("3f2a1b4c-9d8e-4f70-8a6b-1c2d3e4f5a6b") == (
        "3f2a1b4c-9d8e-4f70-8a6b-1c2d3e4f5a6b"
    )


@pytest.mark.parametrize("incoming", ["", "short", "x" * 37, "bad id with spaces",
                                      "<script>alert(1)</script>", f"req-{PNR}"])
def test_malformed_or_personal_request_id_is_replaced(incoming):
    rid = request_id_for(incoming)
    assert rid != incoming
    assert len(rid) == 36


def test_generated_request_ids_never_look_like_a_personnummer():
    for _ in range(2000):
        rid = request_id_for(None)
        assert redact(rid) == rid


# --- one line per request, same id as the audit events ----------------------------------------


def test_request_line_has_id_user_association_status_and_duration(client_for, personas,
                                                                 log_output):
    client = client_for(personas.admin_a)
    response = client.get(f"/konto/forbund/{personas.a.pk}/anvandare/")
    assert response.status_code == 200
    (line,) = [r for r in log_output.requests() if r["path"].startswith("/konto/forbund/")]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == personas.admin_a.pk
    assert line["association_id"] == personas.a.pk
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)


def test_request_id_is_the_same_in_log_line_header_and_audit_events(client_for, personas,
                                                                   log_output):
    client = client_for(personas.auditor_a)
    response = client.get("/granskning/", headers={"X-Request-ID": "proxy-0a1b2c3d4e5f"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-0a1b2c3d4e5f"
    (line,) = [r for r in log_output.requests() if r["path"] == "/granskning/"]
    assert line["request_id"] == "proxy-0a1b2c3d4e5f"
    events = AuditEvent.objects.filter(request_id="proxy-0a1b2c3d4e5f")
    assert events.exists()
    assert {e.actor_id for e in events} == {personas.auditor_a.pk}


def test_a_personnummer_in_the_url_is_never_logged(client_for, personas, log_output):
    client = client_for(personas.officer_a)
    response = client.get(f"/deltagare/{PNR}/")  # matches <int:pk>, no such participation
    assert response.status_code == 404
    anonymous = Client().get(f"/deltagare/{PNR}/finns-inte/?personnummer={PNR}")
    assert anonymous.status_code == 404
    assert PNR not in log_output.text
    assert "730610" not in log_output.text
    paths = [r["path"] for r in log_output.requests()]
    assert "/deltagare/[personnummer]/" in paths
    assert "/deltagare/[personnummer]/finns-inte/" in paths


@override_settings(ROOT_URLCONF="tests.ops.urls_failing")
def test_server_error_is_logged_with_traceback_and_request_id(log_output, db):
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    lines = [line for line in log_output.lines() if line.get("request_id") == rid]
    error = next(line for line in lines if line["logger"] == "django.request")
    assert "RuntimeError: could not read participant [personnummer]" in error["traceback"]
    request = next(line for line in lines if line["logger"] == "stegvis.request")
    assert request["status"] == 500 and request["level"] == "ERROR"
    assert PNR not in log_output.text


@pytest.mark.parametrize("debug", [False, True])
def test_djangos_own_loggers_write_only_through_the_redacting_handler(log_output, settings,
                                                                     debug):
    settings.DEBUG = debug  # Django's default console handler would print in DEBUG
    logging.getLogger("django.server").warning('"GET /deltagare/%s/ HTTP/1.1" 404 0', PNR)
    logging.getLogger("django.request").error("Internal Server Error: /deltagare/%s/", PNR)
    logging.getLogger("django.security.DisallowedHost").error("Invalid HTTP_HOST %s", PNR)
    assert PNR not in log_output.text
    assert len(log_output.lines()) == 3
    for name in ("django", "django.server", "django.request", "django.security"):
        logger = logging.getLogger(name)
        while logger:
            for handler in logger.handlers:
                if type(handler).__module__.startswith("_pytest"):
                    continue  # pytest's own capture
                assert isinstance(handler.formatter, JsonFormatter), (name, handler)
            logger = logger.parent if logger.propagate else None


def test_successful_health_checks_are_not_logged_at_info(client, db, log_output):
    assert client.get("/healthz").status_code == 200
    assert log_output.requests() == []
