"""Adding and retiring codes: systemadministratör only, validated, audited, never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.audit.models import Action, AuditEvent
from stegvis.codelists import services
from stegvis.reference.models import Code
from stegvis.reference.selectors import codes, precise_orientations

pytestmark = pytest.mark.django_db

D2024 = dt.date(2024, 1, 1)


def create(actor, **overrides):
    kwargs = {
        "actor": actor,
        "list": "target_group",
        "key": "unga_vuxna",
        "label": "Unga vuxna",
        "sort_order": 85,
        "valid_from": D2024,
    }
    kwargs.update(overrides)
    return services.code_create(**kwargs)


def test_sysadmin_creates_code_with_audit_event(personas):
    code = create(personas.sysadmin)
    assert code.pk and code.list == "target_group" and code.valid_to is None
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="reference.code")
    assert event.object_id == str(code.pk)
    assert event.actor_username == "sysadmin"
    assert event.details["key"] == "unga_vuxna"
    assert "unga_vuxna" in codes("target_group", on=dt.date(2024, 6, 1)).values_list(
        "key", flat=True
    )
    # Not valid before its first day.
    assert not codes("target_group", on=dt.date(2023, 12, 31)).filter(key="unga_vuxna").exists()


def test_activity_and_step_codes_keep_their_flags(personas):
    activity = create(
        personas.sysadmin,
        list="activity",
        key="extratjanst",
        label="Extratjänst",
        category="work",
    )
    step = create(personas.sysadmin, list="progression_step", key="steg_7", label="Steg 7", level=7)
    income = create(
        personas.sysadmin,
        list="income_source",
        key="lonegaranti",
        label="Lönegaranti",
        public_support=True,
    )
    assert activity.category == "work"
    assert step.level == 7
    assert income.public_support is True


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"key": "langtidssjukskrivna"}, "key", "finns redan"),
        ({"key": "Stora Bokstäver"}, "key", "små bokstäver"),
        ({"key": ""}, "key", "Ange en nyckel"),
        ({"label": "  "}, "label", "Ange en benämning"),
        ({"valid_to": dt.date(2023, 12, 31)}, "valid_to", "kan inte vara före"),
        ({"sort_order": -1}, "sort_order", "mellan 0 och"),
        ({"list": "activity"}, "category", "huvudkategori"),
        ({"list": "activity", "category": "fishing"}, "category", "huvudkategori"),
        ({"list": "progression_step"}, "level", "nivå"),
        ({"category": "work"}, "category", "bara för sysselsättning"),
        ({"level": 3}, "level", "bara för stegförflyttningens"),
        ({"public_support": True}, "public_support", "bara för försörjning"),
        ({"list": "precise_orientation", "key": "ny_inriktning"}, "key", "individ_"),
        ({"list": "no_such_list"}, "list", "Okänd kodlista"),
    ],
)
def test_bad_input_gives_swedish_error_and_saves_nothing(personas, overrides, field, message):
    before = Code.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(personas.sysadmin, **overrides)
    errors = exc.value.message_dict
    assert field in errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert Code.objects.count() == before
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_duplicate_key_also_among_retired_codes(personas):
    code = create(personas.sysadmin)
    services.code_retire(actor=personas.sysadmin, code=code, valid_to=dt.date(2024, 6, 30))
    with pytest.raises(ValidationError) as exc:
        create(personas.sysadmin, label="Unga vuxna (ny)")
    assert "finns redan" in exc.value.message_dict["key"][0]
    assert Code.objects.filter(list="target_group", key="unga_vuxna").count() == 1


def test_retired_code_leaves_selector_but_stays_in_database(personas):
    code = Code.objects.get(list="exit_reason", key="flyttat")
    retired = services.code_retire(
        actor=personas.sysadmin, code=code, valid_to=dt.date(2025, 12, 31)
    )
    assert retired.valid_to == dt.date(2025, 12, 31)
    on_last_day = codes("exit_reason", on=dt.date(2025, 12, 31))
    after = codes("exit_reason", on=dt.date(2026, 1, 1))
    assert on_last_day.filter(key="flyttat").exists()
    assert not after.filter(key="flyttat").exists()
    assert Code.objects.filter(pk=code.pk).exists()
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="reference.code")
    assert event.object_id == str(code.pk)
    assert event.details["valid_to"] == {"from": None, "to": "2025-12-31"}


def test_retire_before_valid_from_is_refused(personas):
    code = create(personas.sysadmin)
    with pytest.raises(ValidationError) as exc:
        services.code_retire(actor=personas.sysadmin, code=code, valid_to=dt.date(2023, 1, 1))
    assert "kan inte vara före" in exc.value.message_dict["valid_to"][0]
    code.refresh_from_db()
    assert code.valid_to is None
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_sort_order_change_is_audited_and_keeps_label(personas):
    code = Code.objects.get(list="referred_by", key="annan")
    services.code_set_sort_order(actor=personas.sysadmin, code=code, sort_order=1)
    code.refresh_from_db()
    assert code.sort_order == 1 and code.label == "Annan"
    assert codes("referred_by").first().key == "annan"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(code.pk)).exists()


@pytest.mark.parametrize("persona", ["admin_a", "admin_b", "national_reader", "auditor_a"])
def test_non_sysadmin_cannot_call_services(personas, persona):
    user = getattr(personas, persona)
    code = Code.objects.get(list="exit_reason", key="flyttat")
    before = Code.objects.count()
    with pytest.raises(PermissionDenied):
        create(user)
    with pytest.raises(PermissionDenied):
        services.code_retire(actor=user, code=code, valid_to=dt.date(2030, 1, 1))
    with pytest.raises(PermissionDenied):
        services.code_set_sort_order(actor=user, code=code, sort_order=1)
    assert Code.objects.count() == before
    code.refresh_from_db()
    assert code.valid_to is None and code.sort_order == 70
    denied = AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor_username=persona, object_type="reference.code"
    )
    assert denied.count() == 3


def test_precise_orientations_by_orientation():
    individual = list(precise_orientations("individual").values_list("key", flat=True))
    structural = list(precise_orientations("structural").values_list("key", flat=True))
    assert "individ_forrehabilitering" in individual
    assert all(k.startswith("individ_") for k in individual)
    assert "struktur_metodutveckling" in structural
    assert not set(individual) & set(structural)
