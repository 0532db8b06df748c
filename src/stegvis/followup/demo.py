"""Demo data for follow-ups after the end, in every state a coach meets: answered by the
participant through a link (självrapporterad), link sent and waiting, link opened but not
answered, declined through the link ("jag vill inte svara" → avböjt), closed by the coach with a
reason (ej nådd, avböjt, flyttat, avliden), and left to do (due, overdue, lapsed). Measured by
the coach comes from the generator. Deterministic (by participation id and order), written
through the services like everything else in the demo."""

from __future__ import annotations

import itertools

from django.utils import timezone

from stegvis.followup import selectors, services
from stegvis.followup.models import Channel
from stegvis.participants import followup
from stegvis.participants.models import Measurement, Participation

CLOSURE_REASONS = ("ej_nadd", "avbojt", "flyttat_utomlands", "ej_nadd", "avliden")


_in_window: dict[str, itertools.count[int]] = {}


def reset_turns() -> None:
    """Start the turns again (each demo build), so that the same build gives the same states."""
    _in_window.clear()


# Turns of a follow-up whose window is open (due and overdue take turns separately, so that
# both are among those left to do).
TO_DO, ANSWERED, SENT, CLOSED, OPENED, DECLINED = range(6)


def add_demo_follow_ups(*, officer: object, participation: Participation) -> None:
    """Follow-ups in an open window take turns: answered by link, link sent, closed, to do,
    link opened, declined by link. Lapsed ones are mostly closed with a reason; every third
    stays on the worklist as missed."""
    today = timezone.localdate()
    for row in selectors.follow_up_rows(participation=participation, today=today):
        if row.state in (followup.DUE, followup.OVERDUE):
            turn = next(_in_window.setdefault(row.state, itertools.count())) % 6
        elif row.state == followup.LAPSED:
            turn = CLOSED if participation.pk % 3 else TO_DO
        else:
            continue
        if turn in (ANSWERED, SENT, OPENED, DECLINED):
            services.contact_record(
                actor=officer, participation=participation,
                email=f"deltagare{participation.pk}@exempel.invalid", mobile="", agreed=True,
            )
            invitation, _token = services.link_issue(
                actor=officer, participation=participation, occasion=row.occasion,
                channel=Channel.EMAIL,
            )
            if turn in (ANSWERED, OPENED, DECLINED):
                services.invitation_opened(invitation=invitation)
            if turn == ANSWERED:
                services.self_report_submit(invitation=invitation, answers=_answers(participation))
            elif turn == DECLINED:
                services.self_report_decline(invitation=invitation)
        elif turn == CLOSED:
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
