"""Shared by the register commands: the acting user, named on the command line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def actor(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Ingen aktiv användare med det användarnamnet."))
    return user


def messages(error: Any) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return " ".join(getattr(error, "messages", [str(error)]))
