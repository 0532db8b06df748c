"""The förbund start page counts the follow-ups to do with the coaches' worklist rule."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stegvis.followup import selectors as followup_selectors
from stegvis.indicators import reports
from tests.followup.conftest import ended
from tests.participants.conftest import insats  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_start_page_and_worklist_agree(personas, insats, client_for):  # noqa: F811
    for _ in range(5):
        ended(personas, insats, days_ago=130)  # 3 months overdue
    ended(personas, insats, days_ago=200)  # 3 months lapsed, 6 months due
    ended(personas, insats, days_ago=400)  # 3 and 6 lapsed, 12 due
    today = timezone.localdate()
    worklist = followup_selectors.followup_counts(user=personas.officer_a)
    start = reports.association_start(user=personas.reader_a, association_id=personas.a.pk,
                                      today=today)
    table = next(t for t in start.tables if t.key == "follow_ups_due")
    rows = {r.key: r for r in table.rows}
    raw = {name: rows["total"].cells[i].value
           for i, (name, _label) in enumerate(reports.FOLLOW_UP_STATES)}
    assert raw == worklist
    assert [c.value for c in rows["3"].cells] == [0, 5, 2, 7]
    # Small counts are hidden like every count of people, and so is what would reveal them.
    assert rows["3"].cells[2].suppressed and rows["6"].cells[0].suppressed
    assert rows["3"].cells[1].suppressed  # 5 would give 2 = 7 − 5 − 0
    assert not rows["3"].cells[3].suppressed
    html = client_for(personas.reader_a).get(f"/rapporter/forbund/{personas.a.pk}/")
    assert "Uppföljningar som ska göras nu" in html.content.decode()
    assert "Fönstret har passerat" in html.content.decode()
