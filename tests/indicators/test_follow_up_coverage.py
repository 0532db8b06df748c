"""Attrition is part of every follow-up figure (issue 14 §3): due = measured by source +
closed (not reached / declined) + open, protected as one problem with the response rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stegvis.followup import services as followup_services
from stegvis.indicators import reports, selectors
from stegvis.indicators.periods import Period
from tests.followup.conftest import ended
from tests.indicators.conftest import follow, m
from tests.participants.conftest import insats  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _self_report(personas, p) -> None:
    _invitation, token = followup_services.link_issue(
        actor=personas.officer_a, participation=p, occasion="followup_3m", channel="letter"
    )
    invitation = followup_services.invitation_for_token(token)
    assert invitation is not None
    answers = followup_services.SelfReport(
        activity="arbete_osubventionerat", extent_pct=100, income_sources=["lon_eget_foretag"])
    followup_services.self_report_submit(invitation=invitation, answers=answers)


def _coverage(personas, today):
    period = Period(today - dt.timedelta(days=364), today)
    query = selectors.resolve_query(user=personas.reader_a, period=period,
                                    association_ids=[personas.a.pk])
    report = reports.bundle(user=personas.reader_a, query=query).reports["uppfoljning"]
    table = next(t for t in report.tables if t.key == "followup_3m_coverage")
    return {r.key: r.cells for r in table.rows}, report


def test_coverage_parts_add_up_to_due_and_are_protected_together(personas, insats):  # noqa: F811
    today = timezone.localdate()
    people = [ended(personas, insats, days_ago=100) for _ in range(16)]
    for p in people[:4]:
        _self_report(personas, p)
    for p in people[4:10]:
        follow(personas.officer_a, p, "followup_3m", today,
               m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)]))
    for p in people[10:12]:
        followup_services.follow_up_close(actor=personas.officer_a, participation=p,
                                          occasion="followup_3m", reason="ej_nadd", date=today)
    followup_services.follow_up_close(actor=personas.officer_a, participation=people[12],
                                      occasion="followup_3m", reason="avbojt", date=today)
    cells, report = _coverage(personas, today)
    raw = {key: c[2].value for key, c in cells.items()}
    assert raw == {"coach": 6, "self_reported": 4, "not_reached": 2, "declined": 1, "open": 3,
                   "due": 16}
    # Self-reported 4 is hidden; coach 6 with it, because the response rate shows 10 measured
    # (10 − 6 = 4). The closed and open parts are hidden so that none follows from due (16).
    assert cells["self_reported"][2].suppressed and cells["coach"][2].suppressed
    assert not cells["due"][2].suppressed
    hidden_t = [k for k in ("not_reached", "declined", "open") if cells[k][2].suppressed]
    assert len(hidden_t) == 3
    response = next(t for t in report.tables if t.key == "followup_3m").rows[1].cells[2]
    assert response.value == pytest.approx(10 / 16) and not response.suppressed
