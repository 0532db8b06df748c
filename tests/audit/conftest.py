"""Audit events of two förbund, sign-ins, and a national granskare."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=STOCKHOLM)


@dataclass
class Log:
    a_create: AuditEvent
    a_read: AuditEvent
    b_create: AuditEvent
    login_officer_a: AuditEvent
    login_failed_officer_a: AuditEvent
    login_admin_b: AuditEvent
    login_failed_stranger: AuditEvent


@pytest.fixture
def log(personas) -> Log:
    p = personas

    def event(when: dt.datetime, **kwargs) -> AuditEvent:
        with time_machine.travel(when, tick=False):
            return record_event(**kwargs)

    return Log(
        a_create=event(
            at("2024-03-01"),
            actor=p.manager_a,
            action=Action.CREATE,
            object_type="interventions.intervention",
            object_id=11,
            association=p.a,
            details={"namn": "Alfa-insatsen"},
        ),
        a_read=event(
            at("2024-03-10"),
            actor=p.officer_a,
            action=Action.READ,
            object_type="participants.participation",
            object_id=21,
            association=p.a,
            reason="Uppföljning",
        ),
        b_create=event(
            at("2024-03-05"),
            actor=p.admin_b,
            action=Action.CREATE,
            object_type="interventions.intervention",
            object_id=31,
            association=p.b,
            details={"namn": "Beta-insatsen"},
        ),
        login_officer_a=event(at("2024-03-02"), actor=p.officer_a, action=Action.LOGIN),
        login_failed_officer_a=event(
            at("2024-03-03"), actor=None, username="officer_a", action=Action.LOGIN_FAILED
        ),
        login_admin_b=event(at("2024-03-04"), actor=p.admin_b, action=Action.LOGIN),
        login_failed_stranger=event(
            at("2024-03-06"), actor=None, username="okand_person", action=Action.LOGIN_FAILED
        ),
    )


@pytest.fixture
def national_auditor(personas):
    user = factories.UserFactory(username="riksgranskare")
    factories.grant(user, Role.AUDITOR.value, None)
    return user
