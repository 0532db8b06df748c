"""SMS delivery: a pluggable sender. Stegvis ships no real provider.

``settings.STEGVIS_SMS_BACKEND`` names a class (dotted path) with ``send(to=, text=)``; empty
means SMS is off. :class:`FileSmsSender` writes each message as a JSON file under
``settings.STEGVIS_SMS_FILE_DIR`` (for tests and for trying the flow); a deployment that buys an
SMS service writes a class with the same method.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsSender(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class FileSmsSender:
    """Writes ``<time>-<random>.json`` with ``to`` and ``text`` (mode 0600)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.STEGVIS_SMS_FILE_DIR)

    def send(self, *, to: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.json"
        path = self.directory / name
        path.write_text(json.dumps({"to": to, "text": text}, ensure_ascii=False))
        path.chmod(0o600)


def sms_sender() -> SmsSender | None:
    """The configured sender, or ``None`` when SMS is off."""
    dotted = settings.STEGVIS_SMS_BACKEND
    if not dotted:
        return None
    return import_string(dotted)()
