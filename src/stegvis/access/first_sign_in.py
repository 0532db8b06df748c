"""A temporary password is changed at the first sign-in (issue 11, ADR 0004).

Accounts made on the pages never get a password: the user sets one with an activation code
(``/konto/aktivera/``). The one path left where someone else knows a user's password is
``services.user_create(password=...)`` (scripts and integrations): such an account carries a
``PasswordChangeRequired`` mark, and ``RequirePasswordChangeMiddleware`` sends the signed-in
user to ``/konto/nytt-losenord/`` before anything else until they have chosen their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from stegvis.access.models import PasswordChangeRequired, RoleGrant
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors

CHANGE_PATH = "/konto/nytt-losenord/"
_OPEN_PREFIXES = (CHANGE_PATH, "/konto/logout/", "/static/", "/tillganglighet/")


def must_change_password(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and PasswordChangeRequired.objects.filter(user=user).exists()
    )


def temporary_password_replace(*, user: Any, current: str, password: str) -> Any:
    """The user replaces the temporary password with one only they know."""
    errors = Errors()
    if not user.check_password(current or ""):
        errors.add("current", _("Nuvarande lösenord: stämmer inte."))
    elif password == current:
        errors.add("password1", _("Nytt lösenord: får inte vara det tillfälliga lösenordet."))
    if "password1" not in errors:
        try:
            validate_password(password, user)
        except ValidationError as e:
            errors.add_all(
                "password1", [_("Nytt lösenord: %(message)s") % {"message": m} for m in e.messages]
            )
    errors.raise_if_any()
    # Recorded for each förbund the user has a role in (its granskare see it), else nationally.
    association_ids = sorted(
        {a for a in RoleGrant.objects.filter(user=user).values_list("association_id", flat=True)
         if a}
    ) or [None]
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        PasswordChangeRequired.objects.filter(user=user).delete()
        for association_id in association_ids:
            record_event(
                actor=user,
                action=Action.UPDATE,
                obj=user,
                object_type="auth.user",
                association=association_id,
                details={"change": "temporary_password_replaced"},
            )
    return user


class RequirePasswordChangeMiddleware:
    """A user whose password someone else set chooses their own before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path.startswith(_OPEN_PREFIXES)
            and must_change_password(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "password_change_required",
                        "message": _("Byt ditt tillfälliga lösenord innan du använder API:et."),
                    },
                    status=403,
                )
            return redirect(reverse("access:password_change_required"))
        return self.get_response(request)
