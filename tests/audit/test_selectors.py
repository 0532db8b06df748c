"""Who may review which audit events (the selector, without the page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stegvis.audit.models import Action, AuditEvent
from stegvis.audit_review import selectors

pytestmark = pytest.mark.django_db


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_association_auditor_sees_own_events_and_members_sign_ins(personas, log):
    seen = ids(selectors.events_for(user=personas.auditor_a))
    assert seen == {
        log.a_create.pk,
        log.a_read.pk,
        log.login_officer_a.pk,
        log.login_failed_officer_a.pk,
    }


def test_national_auditor_sees_everything(national_auditor, log):
    assert ids(selectors.events_for(user=national_auditor)) == ids(AuditEvent.objects.all())


def test_national_auditor_filtered_to_one_association(personas, national_auditor, log):
    seen = ids(selectors.events_for(user=national_auditor, association_id=personas.b.pk))
    assert seen == {log.b_create.pk, log.login_admin_b.pk}


@pytest.mark.parametrize("persona", ["admin_a", "officer_a", "reader_a", "admin_b", "sysadmin"])
def test_users_without_audit_capability_are_refused(personas, persona):
    user = getattr(personas, persona)
    with pytest.raises(PermissionDenied):
        selectors.events_for(user=user)
    denied = AuditEvent.objects.get(action=Action.PERMISSION_DENIED, actor_username=persona)
    assert denied.details == {"capability": "audit"}


def test_association_without_any_role_is_not_found(personas, log):
    with pytest.raises(Http404):
        selectors.events_for(user=personas.auditor_a, association_id=personas.b.pk)
    with pytest.raises(Http404):
        selectors.events_for(user=personas.admin_b, association_id=personas.a.pk)


def test_filters_combine(personas, log):
    def seen(**filters) -> set[int]:
        return ids(selectors.events_for(user=personas.auditor_a, **filters))

    assert seen(action=Action.READ) == {log.a_read.pk}
    assert seen(actor_username="OFFICER_A") == {
        log.a_read.pk,
        log.login_officer_a.pk,
        log.login_failed_officer_a.pk,
    }
    # Inclusive local dates.
    assert seen(date_from=dt.date(2024, 3, 2), date_to=dt.date(2024, 3, 3)) == {
        log.login_officer_a.pk,
        log.login_failed_officer_a.pk,
    }
    assert seen(date_from=dt.date(2024, 3, 10)) == {log.a_read.pk}
    assert seen(date_to=dt.date(2024, 3, 1)) == {log.a_create.pk}
    assert seen(association_id=personas.a.pk, action=Action.CREATE) == {log.a_create.pk}
