"""The demo: realistic förbund through the services, printed sign-ins, safe to run twice."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stegvis.associations.models import Association, Membership
from stegvis.demo import generator
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Measurement, Participation
from tests.support.totp import current_code

pytestmark = pytest.mark.django_db

SMALL = generator.Scale(participants_per_intervention=4)


def test_demo_is_lawful_and_idempotent():
    first = generator.build_demo(SMALL)
    assert len(first.created_associations) == 3
    counts = (Association.objects.count(), Membership.objects.count(),
              get_user_model().objects.count(), Intervention.objects.count(),
              Participation.objects.count(), Measurement.objects.count())
    second = generator.build_demo(SMALL)
    assert second.created_associations == []
    assert (Association.objects.count(), Membership.objects.count(),
            get_user_model().objects.count(), Intervention.objects.count(),
            Participation.objects.count(), Measurement.objects.count()) == counts
    assert all(a.is_demo for a in Association.objects.all())
    gotland = Association.objects.get(name="Samordningsförbundet Gotland")
    kinds = sorted(gotland.memberships.values_list("organisation__kind", flat=True))
    assert kinds == ["AF", "FK", "KOMMUN"]  # Gotland needs no region


def test_demo_has_both_orientations_all_follow_up_methods_and_realistic_participants():
    generator.build_demo(generator.Scale(participants_per_intervention=60))
    assert set(Intervention.objects.values_list("orientation", flat=True)) == {
        "individual", "structural"}
    assert set(Intervention.objects.values_list("follow_up_method", flat=True)) == {
        "identified", "anonymous", "volume"}
    participations = Participation.objects.all()
    women = participations.filter(sex="K").count() / participations.count()
    assert 0.45 < women < 0.65
    ended = participations.filter(end_date__isnull=False)
    to_work_or_studies = ended.filter(
        measurements__occasion="end",
        measurements__activities__activity__category__in=["work", "studies"],
    ).distinct().count() / ended.count()
    assert 0.18 < to_work_or_studies < 0.42
    assert Measurement.objects.filter(occasion="followup_12m").exists()
    # follow-ups in every state: closed with a reason, self-reported, link sent, still to do
    from stegvis.followup.models import Closure, Invitation
    from stegvis.followup.selectors import open_follow_ups

    assert Closure.objects.filter(reason__key="avbojt").exists()
    assert Closure.objects.exclude(reason__key="avbojt").exists()
    assert Measurement.objects.filter(source="self_reported").exists()
    assert Invitation.objects.filter(sent_at__isnull=False, answered_at__isnull=True).exists()
    assert Invitation.objects.filter(opened_at__isnull=False, answered_at__isnull=True,
                                     declined_at__isnull=True).exists()
    assert Invitation.objects.filter(declined_at__isnull=False).exists()
    assert Measurement.objects.filter(occasion__startswith="followup_", source="coach").exists()
    to_do = open_follow_ups(Participation.objects.all(), dt.date.today())
    assert {i.status for i in to_do} == {"due", "overdue", "lapsed"}
    # Östra Södertörn follows up at 24 and 36 months too; the other förbund do not.
    from stegvis.followup.selectors import long_horizon_ids

    sodertorn = Association.objects.get(name="Samordningsförbundet Östra Södertörn")
    assert long_horizon_ids() == {sodertorn.pk}
    long = {i.participation.intervention.association_id for i in to_do
            if i.occasion == "followup_24m"}
    long |= set(Closure.objects.filter(occasion="followup_24m").values_list(
        "participation__intervention__association_id", flat=True))
    assert long == {sodertorn.pk}
    # The förbund's report reader sees the 24-month follow-up and, in every coverage table,
    # the register as the third source next to coach and self-report.
    from stegvis.indicators import reports
    from stegvis.indicators import selectors as indicator_selectors
    from stegvis.indicators.periods import Period

    reader = get_user_model().objects.get(username="sodertorn.rapportlasare")
    today = dt.date.today()
    query = indicator_selectors.resolve_query(
        user=reader, period=Period(today - dt.timedelta(days=364), today),
        association_ids=[sodertorn.pk])
    tables = {t.key: t for t in
              reports.bundle(user=reader, query=query).reports["uppfoljning"].tables}
    assert "followup_24m" in tables and "register_24m" in tables
    coverage = [{r.key: r.cells[2].value for r in tables[f"followup_{k}m_coverage"].rows}
                for k in (3, 6, 12, 24, 36)]
    for source in ("coach", "self_reported", "register", "not_reached", "declined", "open"):
        assert sum(c[source] for c in coverage) > 0, source
    assert all(c["register"] + c["register_missing"] == c["due"] for c in coverage)
    # one register import: a national cohort export answered by a synthetic register file
    from stegvis.registry.models import CohortExport, RegisterOutcome

    export = CohortExport.objects.get()
    assert export.association is None and export.keys_destroyed_at is not None
    assert RegisterOutcome.objects.filter(month__lt=dt.date.today().replace(day=1)).count() > 10
    start_sources = Measurement.objects.filter(occasion="start").values_list(
        "income_sources__key", flat=True)
    dominant = sum(k in {"sjukpenning", "aktivitetsersattning", "forsorjningsstod"}
                   for k in start_sources)
    assert dominant / len(start_sources) > 0.6


def test_demo_command_prints_every_sign_in(client):
    out = io.StringIO()
    call_command("demo", "--no-serve", "--participants-per-insats", "2", stdout=out)
    text = out.getvalue()
    for username in ["sysadmin", "nationell.analytiker", "sodertorn.forbundsadmin",
                     "nordost.granskare", "sodertorn.deltagaransvarig"]:
        assert username in text
    assert generator.DEMO_PASSWORD in text
    # Every role that sees personal data or manages accounts has two-factor, printed.
    for username in ["sodertorn.deltagaransvarig", "sodertorn.forbundsadmin", "sysadmin"]:
        assert f"otpauth://totp/{username}?secret=" in text
    assert "otpauth://totp/sodertorn.rapportlasare" not in text
    # The printed sign-in works: password, then the code of the printed secret.
    secret = re.search(r"otpauth://totp/sodertorn\.forbundsadmin\?secret=([A-Z2-7]+)", text)
    response = client.post("/konto/login/", {"login": "sodertorn.forbundsadmin",
                                             "password": generator.DEMO_PASSWORD})
    assert response["Location"] == "/konto/2fa/authenticate/"
    response = client.post("/konto/2fa/authenticate/", {"code": current_code(secret.group(1))})
    assert response.status_code == 302
    assert "Samordningsförbundet Östra Södertörn" in client.get("/").content.decode()


def test_demo_totp_secret_is_stable_and_valid():
    secret = generator.demo_totp_secret("sodertorn.deltagaransvarig")
    assert secret == generator.demo_totp_secret("sodertorn.deltagaransvarig")
    assert len(current_code(secret)) == 6


def test_demo_reports_show_charts_beside_their_tables(client):
    generator.build_demo(generator.Scale(participants_per_intervention=40))
    client.post("/konto/login/", {"login": "sodertorn.rapportlasare",
                                  "password": generator.DEMO_PASSWORD})
    html = client.get("/rapporter/standard/", {"from": "2024-01-01",
                                               "to": "2026-11-01"}).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Siffrorna finns i tabellen" in html
    assert "<caption>" in html


def test_demo_has_finance_years_budgets_contributions_outcomes_and_a_state_allocation():
    import datetime as dt

    from stegvis.finance.models import DecidedAllocation, FinanceYear, MemberContribution

    generator.build_demo(SMALL)
    this_year = dt.date.today().year
    with_users = [a for a in generator.DEMO_ASSOCIATIONS if a.with_users]
    for spec in with_users:
        years = FinanceYear.objects.filter(association__name=spec.name).order_by("year")
        assert [fy.year for fy in years] == list(range(SMALL.first_year, this_year + 1))
        for fy in years:
            assert fy.budgets.filter(decided_on__isnull=False).exists()
            assert MemberContribution.objects.filter(
                finance_year=fy, paid_on__isnull=False
            ).exists()
            # Outcomes only for years that have ended.
            assert (fy.actual_board is not None) == (fy.year < this_year)
    decided = DecidedAllocation.objects.filter(allocation_year=this_year)
    assert decided.count() == Association.objects.filter(is_demo=True).count()
    counts = (FinanceYear.objects.count(), DecidedAllocation.objects.count())
    generator.build_demo(SMALL)
    assert (FinanceYear.objects.count(), DecidedAllocation.objects.count()) == counts
