"""`stegvis serve` in production mode, for real: gunicorn on a local port, collected static
files, health checks, JSON logs. One server for the module (migrate + collectstatic first)."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ops.conftest import STEGVIS, production_environ, stegvis

PNR = "197306107405"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]


PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front adds


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("production")
    environ = production_environ(tmp)
    prepare = [
        subprocess.Popen([STEGVIS, *args], env=environ, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
        for args in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"])
    ]
    for process in prepare:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    port = _free_port()
    log = tmp / "server.log"
    environ = {**environ, "STEGVIS_BIND": f"127.0.0.1:{port}", "STEGVIS_WORKERS": "1",
               "STEGVIS_THREADS": "2"}
    with log.open("w") as stderr:
        process = subprocess.Popen([STEGVIS, "serve"], env=environ,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    srv = Server(port=port, log=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if srv.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_health_checks_answer_over_plain_http(server):
    for path in ("/healthz", "/readyz"):
        response = server.get(path)
        assert response.status == 200, response.body
        assert json.loads(response.body)["status"] == "ok"


def test_pages_need_https_and_sign_in(server):
    assert server.get("/").status == 301  # plain HTTP is sent to HTTPS
    response = server.get("/", PROXY)
    assert response.status == 302
    assert response.getheader("Location") == "/konto/login/?next=/"
    assert "max-age=31536000" in server.get("/konto/login/", PROXY).getheader(
        "Strict-Transport-Security"
    )


def test_static_files_have_hashed_names_and_are_cached_for_long(server):
    page = server.get("/konto/login/", PROXY).body.decode()
    urls = re.findall(r'(/static/stegvis/stegvis\.[0-9a-f]{12}\.css)', page)
    assert urls, "the stylesheet is not referred to by a hashed name"
    response = server.get(urls[0], PROXY)
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control")


def test_request_log_is_json_with_the_request_id_and_no_personnummer(server):
    response = server.get(
        f"/deltagare/{PNR}/x/?p={PNR}", {**PROXY, "X-Request-ID": "e2e-7f3a9c21d0"}
    )
    assert response.status == 404
    assert response.getheader("X-Request-ID") == "e2e-7f3a9c21d0"
    deadline = time.monotonic() + 10
    while True:
        lines = server.log_lines()  # every line is JSON, gunicorn's own included
        mine = [line for line in lines if line.get("request_id") == "e2e-7f3a9c21d0"]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    (line,) = mine
    assert line["logger"] == "stegvis.request"
    assert line["path"] == "/deltagare/[personnummer]/x/"
    assert line["status"] == 404
    assert any(entry["logger"] == "gunicorn.error" for entry in lines)
    assert PNR not in server.log.read_text()


def test_api_answers_json_401(server):
    response = server.get("/api/v1/me/", PROXY)
    assert response.status == 401
    assert json.loads(response.body)["code"] == "not_authenticated"


def test_server_settings_come_from_the_environment(tmp_path):
    environ = {**production_environ(tmp_path), "STEGVIS_WORKERS": "3", "STEGVIS_THREADS": "1",
               "STEGVIS_TIMEOUT": "120", "STEGVIS_BIND": "0.0.0.0:9000"}
    result = stegvis("serve", "--print-config", env=environ)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["workers"] == 3
    assert config["worker_class"] == "sync"
    assert config["timeout"] == 120
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["accesslog"] is None


def test_server_refuses_a_bad_number(tmp_path):
    environ = {**production_environ(tmp_path), "STEGVIS_WORKERS": "many"}
    result = stegvis("serve", "--print-config", env=environ)
    assert result.returncode != 0
    assert "STEGVIS_WORKERS='many' is not a whole number" in result.stderr
