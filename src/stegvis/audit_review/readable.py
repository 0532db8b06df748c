"""The audit log as an auditor reads it: Swedish names, people and förbund by name, sentences.

``present(events, user=...)`` turns a page (or an export batch) of events into rows with the
same readable columns for the page and the CSV. Ids in the details are looked up in bulk (one
query per kind of object per batch), never one query per event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import Association
from stegvis.audit.models import AuditEvent
from stegvis.interventions.models import Intervention

# Swedish names of the keys used in audit details. A key not listed is shown with its
# underscores as spaces (never as a raw dump of the details).
KEY_LABELS: dict[str, Any] = {
    "added": gettext_lazy("tillagd"),
    "added_to_area": gettext_lazy("tillagt i området"),
    "after": gettext_lazy("efter"),
    "age": gettext_lazy("ålder"),
    "allocation_year": gettext_lazy("fördelningsår"),
    "amounts": gettext_lazy("belopp"),
    "anonymous_count": gettext_lazy("anonym räkning"),
    "answer_type": gettext_lazy("svarstyp"),
    "area": gettext_lazy("område"),
    "association": gettext_lazy("samordningsförbund"),
    "associations": gettext_lazy("samordningsförbund"),
    "audit_events": gettext_lazy("granskningshändelser"),
    "authenticators_removed": gettext_lazy("tvåfaktorsenheter borttagna"),
    "base_amount": gettext_lazy("grundbelopp"),
    "before": gettext_lazy("före"),
    "capability": gettext_lazy("behörighet"),
    "change": gettext_lazy("ändring"),
    "changes": gettext_lazy("ändringar"),
    "consent": gettext_lazy("samtycke"),
    "consent_withdrawn": gettext_lazy("samtycket återkallat"),
    "contributions": gettext_lazy("medlemsbidrag"),
    "copied_from": gettext_lazy("kopierad från"),
    "date": gettext_lazy("datum"),
    "decided_on": gettext_lazy("beslutsdatum"),
    "dissolved": gettext_lazy("upplöst"),
    "due": gettext_lazy("förfaller"),
    "ended": gettext_lazy("avslutad"),
    "equity_scale": gettext_lazy("skala för eget kapital"),
    "exit_reason": gettext_lazy("avslutsanledning"),
    "exit_reason_before": gettext_lazy("avslutsanledning före"),
    "failed": gettext_lazy("misslyckade"),
    "filter": gettext_lazy("filter"),
    "follow_up": gettext_lazy("uppföljning"),
    "form_version": gettext_lazy("blankettversion"),
    "format": gettext_lazy("format"),
    "founded": gettext_lazy("bildat"),
    "frame": gettext_lazy("ram"),
    "from": gettext_lazy("från"),
    "funding_key_method": gettext_lazy("fördelningsnyckel"),
    "funding_key_population_year": gettext_lazy("befolkningsår för fördelningsnyckeln"),
    "hits": gettext_lazy("träffar"),
    "intervention": gettext_lazy("insats"),
    "interventions_total": gettext_lazy("insatser totalt"),
    "is_error": gettext_lazy("felregistrering"),
    "key": gettext_lazy("kod"),
    "key_population_pct": gettext_lazy("andel efter befolkning (%)"),
    "key_support_pct": gettext_lazy("andel efter stöd (%)"),
    "kind": gettext_lazy("slag"),
    "label": gettext_lazy("benämning"),
    "legal_hold": gettext_lazy("bevarandebeslut"),
    "list": gettext_lazy("kodlista"),
    "max_reduction_pct": gettext_lazy("största minskning (%)"),
    "measurement": gettext_lazy("mätning"),
    "measurements_erased": gettext_lazy("mätningar raderade"),
    "members": gettext_lazy("medlemmar"),
    "men": gettext_lazy("män"),
    "method": gettext_lazy("metod"),
    "model_amount": gettext_lazy("modellbelopp"),
    "municipality": gettext_lazy("kommun"),
    "name": gettext_lazy("namn"),
    "occasion": gettext_lazy("mättillfälle"),
    "opening_equity": gettext_lazy("ingående eget kapital"),
    "organisation": gettext_lazy("medlemsorganisation"),
    "other_income": gettext_lazy("övriga intäkter"),
    "overdue": gettext_lazy("försenade"),
    "page": gettext_lazy("sida"),
    "paid_on": gettext_lazy("betald"),
    "paid_on_before": gettext_lazy("betald före"),
    "participation": gettext_lazy("deltagande"),
    "participations": gettext_lazy("deltaganden"),
    "period": gettext_lazy("period"),
    "period_end": gettext_lazy("periodens slut"),
    "period_start": gettext_lazy("periodens början"),
    "person": gettext_lazy("person"),
    "person_deleted": gettext_lazy("personen raderad"),
    "person_reused": gettext_lazy("befintlig person"),
    "purpose": gettext_lazy("syfte"),
    "reason": gettext_lazy("anledning"),
    "rebuild_facts": gettext_lazy("statistiken räknad om"),
    "referred_by": gettext_lazy("aktualiserad av"),
    "register_extract": gettext_lazy("registerutdrag"),
    "removed_from_area": gettext_lazy("borttaget ur området"),
    "report": gettext_lazy("rapport"),
    "requested": gettext_lazy("begärd"),
    "residence": gettext_lazy("bostadskommun"),
    "revealed": gettext_lazy("visat"),
    "revoked": gettext_lazy("återkallad"),
    "role": gettext_lazy("roll"),
    "rotated_identity_keys": gettext_lazy("identitetsnycklar bytta"),
    "rotated_two_factor_secrets": gettext_lazy("tvåfaktorshemligheter bytta"),
    "rows": gettext_lazy("rader"),
    "shares": gettext_lazy("andelar"),
    "sharing_parties": gettext_lazy("parter som delar uppgifter"),
    "sort_order": gettext_lazy("ordning"),
    "stage": gettext_lazy("steg"),
    "start_date": gettext_lazy("startdatum"),
    "start_year": gettext_lazy("startår"),
    "state_total": gettext_lazy("statens belopp totalt"),
    "status": gettext_lazy("status"),
    "to": gettext_lazy("till"),
    "token": gettext_lazy("API-nyckel"),
    "total": gettext_lazy("totalt"),
    "type": gettext_lazy("typ"),
    "user": gettext_lazy("användare"),
    "username": gettext_lazy("användarnamn"),
    "valid": gettext_lazy("giltig"),
    "valid_from": gettext_lazy("giltig från"),
    "valid_to": gettext_lazy("giltig till"),
    "valid_to_before": gettext_lazy("giltig till före"),
    "version": gettext_lazy("version"),
    "view": gettext_lazy("vy"),
    "withdrawn_on": gettext_lazy("återkallat den"),
    "women": gettext_lazy("kvinnor"),
    "year": gettext_lazy("år"),
}

# Values of ``purpose`` and ``view`` that are codes rather than words.
VALUE_LABELS: dict[str, Any] = {
    "view": gettext_lazy("visa"),
    "list": gettext_lazy("lista"),
    "end": gettext_lazy("avsluta"),
    "measure": gettext_lazy("mätning"),
    "mark_error": gettext_lazy("felregistrering"),
    "withdraw": gettext_lazy("återkallat samtycke"),
    "reveal": gettext_lazy("visa personnummer"),
    "followup_worklist": gettext_lazy("uppföljningslista"),
    "csv": "CSV",
}

# Keys whose value is the id of a user, a förbund or an insats: shown by name.
USER_KEYS = frozenset({"user"})
ASSOCIATION_KEYS = frozenset({"association", "associations"})
INTERVENTION_KEYS = frozenset({"intervention"})
MAX_LISTED = 5


@dataclass(frozen=True)
class Row:
    """One audit event in readable form (the page's row and the CSV's line)."""

    event: AuditEvent
    at: dt.datetime
    user: str
    action: str
    object: str
    object_url: str
    association: str
    reason: str
    details: str


def object_name(object_type: str) -> str:
    """``participants.participation`` → ``Deltagande`` (the model's Swedish name)."""
    if not object_type:
        return ""
    parts = object_type.split(".")
    try:
        model = _moved().get(object_type) or apps.get_model(parts[0], parts[1])
    except (LookupError, ValueError, IndexError):
        return parts[-1].replace("_", " ")
    return str(model._meta.verbose_name).capitalize()


def _moved() -> dict[str, Any]:
    """Models moved between apps, by the kind their events keep (``AUDIT_OBJECT_TYPE``)."""
    return {m.AUDIT_OBJECT_TYPE: m for m in apps.get_models() if hasattr(m, "AUDIT_OBJECT_TYPE")}


def _object_url(event: AuditEvent, user: Any, assigned: set[int]) -> str:
    """A link to the object, only where ``user`` may open it (never a link that answers 403)."""
    oid = event.object_id
    if not oid.isdigit():
        return ""
    kind = event.object_type
    association = event.association_id
    if kind == "associations.association":
        if scope.can(user, Capability.VIEW_ASSOCIATION, int(oid)):
            return reverse("associations:detail", args=[int(oid)])
    elif kind == "interventions.intervention":
        if association is not None and scope.can(
            user, Capability.MANAGE_INTERVENTIONS, association
        ):
            return reverse("interventions:detail", args=[int(oid)])
    elif kind == "participants.participation":
        if (event.details or {}).get("intervention") in assigned:
            return reverse("participants:detail", args=[int(oid)])
    elif kind == "auth.user" and association is not None and scope.can(
        user, Capability.MANAGE_ASSOCIATION, association
    ):
        return reverse("access:association_user", args=[association, int(oid)])
    return ""


def _ids(events: list[AuditEvent], keys: frozenset[str]) -> set[int]:
    found: set[int] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list) and key in keys:
            found.update(v for v in value if isinstance(v, int))
        elif key in keys and isinstance(value, int) and not isinstance(value, bool):
            found.add(value)

    for e in events:
        walk(e.details or {})
    return found


class _Names:
    """Names of the users, förbund and insatser a batch of events mentions."""

    def __init__(self, events: list[AuditEvent]) -> None:
        user_ids = {e.actor_id for e in events if e.actor_id} | _ids(events, USER_KEYS)
        self.users = {
            u.pk: (u.get_full_name() or u.get_username())
            for u in get_user_model().objects.filter(pk__in=user_ids)
        }
        association_ids = {e.association_id for e in events if e.association_id}
        association_ids |= _ids(events, ASSOCIATION_KEYS)
        self.associations = dict(
            Association.objects.filter(pk__in=association_ids).values_list("pk", "name")
        )
        self.interventions = dict(
            Intervention.objects.filter(pk__in=_ids(events, INTERVENTION_KEYS)).values_list(
                "pk", "name"
            )
        )

    def user(self, event: AuditEvent) -> str:
        name = self.users.get(event.actor_id) if event.actor_id else None
        if name and name != event.actor_username:
            return f"{name} ({event.actor_username})"
        return event.actor_username or _("okänd användare")

    def lookup(self, key: str, value: int) -> str:
        table = (
            self.users if key in USER_KEYS
            else self.associations if key in ASSOCIATION_KEYS
            else self.interventions if key in INTERVENTION_KEYS
            else {}
        )
        return table.get(value, _("nr %(id)s") % {"id": value})


def _label(key: str) -> str:
    return str(KEY_LABELS.get(key, key.replace("_", " ")))


def _value(key: str, value: Any, names: _Names) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, int) and key in USER_KEYS | ASSOCIATION_KEYS | INTERVENTION_KEYS:
        return names.lookup(key, value)
    if isinstance(value, dict):
        parts = [
            f"{_label(k)} {_value(k, v, names)}" for k, v in value.items() if v not in ("", None)
        ]
        return ", ".join(parts) if parts else "–"
    if isinstance(value, list):
        if key in USER_KEYS | ASSOCIATION_KEYS | INTERVENTION_KEYS:
            shown = [names.lookup(key, v) for v in value[:MAX_LISTED]]
        elif all(isinstance(v, int) for v in value) and len(value) > MAX_LISTED:
            return _("%(n)s stycken") % {"n": len(value)}
        else:
            shown = [_value(key, v, names) for v in value[:MAX_LISTED]]
        more = len(value) - MAX_LISTED
        text = ", ".join(shown)
        return f"{text} {_('och %(n)s till') % {'n': more}}" if more > 0 else (text or "–")
    if isinstance(value, str) and value in VALUE_LABELS and key in ("purpose", "view", "format"):
        return str(VALUE_LABELS[value])
    return str(value)


def sentence(details: dict[str, Any], names: _Names) -> str:
    """``{"intervention": 3, "rows": 2}`` → ``Insats: Steg till arbete. Rader: 2.``"""
    parts = []
    for key, value in (details or {}).items():
        parts.append(f"{_label(key).capitalize()}: {_value(key, value, names)}.")
    return " ".join(parts)


def present(events: Iterable[AuditEvent], *, user: Any) -> list[Row]:
    """Readable rows for a batch of events, as ``user`` may see and follow them."""
    batch = list(events)
    names = _Names(batch)
    assigned = scope.assigned_intervention_ids(user)
    return [
        Row(
            event=e,
            at=timezone.localtime(e.at),
            user=names.user(e),
            action=e.get_action_display(),
            object=(
                f"{object_name(e.object_type)} {_('nr')} {e.object_id}".strip()
                if e.object_id else object_name(e.object_type)
            ),
            object_url=_object_url(e, user, assigned),
            association=(
                names.associations.get(e.association_id, _("nr %(id)s") % {"id": e.association_id})
                if e.association_id else ""
            ),
            reason=e.reason,
            details=sentence(e.details, names),
        )
        for e in batch
    ]
