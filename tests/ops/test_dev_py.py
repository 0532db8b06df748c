"""`python3 dev.py test` on a fresh machine: installs chromium and Pango with apt as root,
otherwise says exactly what is missing."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stegvis_dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorder:
    def __init__(self, returncode: int = 0) -> None:
        self.commands: list[list[str]] = []
        self.returncode = returncode
        self.said: list[str] = []

    def run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        assert kwargs["env"]["DEBIAN_FRONTEND"] == "noninteractive"
        self.commands.append(command)
        return subprocess.CompletedProcess(command, self.returncode)

    def say(self, text: str) -> None:
        self.said.append(text)


def test_the_browser_and_pdf_packages_are_checked(dev):
    assert set(dev.SYSTEM_PACKAGES) == {
        "chromium", "libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core",
        "xmlsec1", "nodejs", "npm", "gettext",
    }
    probes = {"chromium": lambda: False, "libpango-1.0-0": lambda: True,
              "fonts-dejavu-core": lambda: False}
    assert dev.missing_system_packages(probes) == ["chromium", "fonts-dejavu-core"]


def test_root_with_apt_installs_exactly_what_is_missing(dev):
    recorder = Recorder()
    ok = dev.ensure_system_packages(["chromium", "libpango-1.0-0"], is_root=True, has_apt=True,
                                    run=recorder.run, say=recorder.say)
    assert ok
    assert recorder.commands == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium", "libpango-1.0-0"],
    ]


def test_not_root_says_exactly_what_is_missing_and_installs_nothing(dev):
    recorder = Recorder()
    ok = dev.ensure_system_packages(["chromium", "fonts-dejavu-core"], is_root=False,
                                    has_apt=True, run=recorder.run, say=recorder.say)
    assert not ok
    assert recorder.commands == []
    assert recorder.said == [
        "Saknas för webbläsar- och PDF-testerna: chromium, fonts-dejavu-core.",
        "Installera med: sudo apt-get install chromium fonts-dejavu-core",
    ]


def test_without_apt_it_explains_and_installs_nothing(dev):
    recorder = Recorder()
    assert not dev.ensure_system_packages(["libpango-1.0-0"], is_root=True, has_apt=False,
                                          run=recorder.run, say=recorder.say)
    assert recorder.commands == []
    assert "libpango-1.0-0" in recorder.said[0]


def test_a_failing_apt_is_reported(dev):
    recorder = Recorder(returncode=100)
    assert not dev.ensure_system_packages(["chromium"], is_root=True, has_apt=True,
                                          run=recorder.run, say=recorder.say)
    assert recorder.said[-1] == "apt-get update -qq misslyckades (kod 100)."


def test_nothing_missing_does_nothing(dev):
    recorder = Recorder()
    assert dev.ensure_system_packages([], is_root=True, has_apt=True, run=recorder.run,
                                      say=recorder.say)
    assert recorder.commands == [] and recorder.said == []


def test_ci_relies_on_dev_py_for_the_packages():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get" not in ci
    assert "python3 dev.py test --version" in ci.split("Tests on SQLite")[0]
