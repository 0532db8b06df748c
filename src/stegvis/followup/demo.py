"""Demo data for follow-ups after the end: some closed with a reason, some answered by the
participant through a link, some links sent and waiting, the rest left to do. Deterministic
(by participation id), written through the services like everything else in the demo."""

from __future__ import annotations

import itertools

from django.utils import timezone

from stegvis.followup import selectors, services
from stegvis.followup.models import Channel
from stegvis.participants import followup
from stegvis.participants.models import Measurement, Participation

CLOSURE_REASONS = ("ej_nadd", "avbojt", "flyttat_utomlands", "ej_nadd", "avliden")


_in_window = itertools.count()


def add_demo_follow_ups(*, officer: object, participation: Participation) -> None:
    """Follow-ups in an open window take turns: answered by link, link sent, closed, to do.
    Lapsed ones are mostly closed with a reason; every third stays on the worklist as missed."""
    today = timezone.localdate()
    for row in selectors.follow_up_rows(participation=participation, today=today):
        if row.state in (followup.DUE, followup.OVERDUE):
            turn = next(_in_window) % 4
        elif row.state == followup.LAPSED:
            turn = 2 if participation.pk % 3 else 3
        else:
            continue
        if turn in (0, 1):
            services.contact_record(
                actor=officer, participation=participation,
                email=f"deltagare{participation.pk}@exempel.invalid", mobile="", agreed=True,
            )
            invitation, _token = services.link_issue(
                actor=officer, participation=participation, occasion=row.occasion,
                channel=Channel.EMAIL,
            )
            if turn == 0:  # answered by the participant
                services.self_report_submit(invitation=invitation, answers=_answers(participation))
        elif turn == 2:
            reason = CLOSURE_REASONS[participation.pk % len(CLOSURE_REASONS)]
            services.follow_up_close(
                actor=officer, participation=participation, occasion=row.occasion,
                reason=reason, date=today,
            )


def _answers(participation: Participation) -> services.SelfReport:
    last = (
        Measurement.objects.filter(participation=participation)
        .prefetch_related("income_sources", "activities__activity")
        .order_by("-date", "-id")
        .first()
    )
    assert last is not None
    activity = next(iter(last.activities.all()))
    return services.SelfReport(
        activity=activity.activity.key,
        extent_pct=activity.extent_pct,
        income_sources=[c.key for c in last.income_sources.all()],
        rating_work=6 + participation.pk % 4,
        rating_health=5 + participation.pk % 5,
        rating_future=7,
    )
