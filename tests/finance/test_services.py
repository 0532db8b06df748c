"""Writes for a förbund's money: rules, bad input (nothing saved), audit events, permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.associations.models import FundingShare, Organisation, PartyKind
from stegvis.audit.models import AuditEvent
from stegvis.finance import selectors, services
from stegvis.finance.models import Budget, FinanceYear, MemberContribution
from tests import factories
from tests.finance.conftest import YEAR

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def make_year(personas, frame="1 000 001", **kw):
    return services.finance_year_set(actor=personas.admin_a, association=personas.a, year=YEAR,
                                     frame=frame, **kw)


def test_contributions_by_law_and_key_sum_to_frame(personas, key_a):
    fy = make_year(personas, opening_equity="200 000", other_income="10 000")
    rows = {c.organisation.name: c for c in fy.contributions.select_related("organisation")}
    assert rows["Försäkringskassan"].amount == 500_001
    assert rows["Region Stockholm"].amount == 250_000
    # kommunernas 250 000: Stockholm 80 %, Haninge 20 %
    assert rows["Stockholms kommun"].amount == 200_000
    assert rows["Haninges kommun"].amount == 50_000
    assert "Arbetsförmedlingen" not in rows
    assert sum(c.amount for c in rows.values()) == 1_000_001
    assert rows["Försäkringskassan"].exact == Decimal("500000.5000")
    assert rows["Försäkringskassan"].rounding == Decimal("0.5")
    event = AuditEvent.objects.get(object_type="finance.financeyear", action="CREATE")
    assert event.association_id == personas.a.pk
    assert event.details["after"]["frame"] == 1_000_001


def test_key_not_covering_every_member_kommun_is_refused(personas):
    members = {o.municipality_id: o for o in Organisation.objects.filter(kind=PartyKind.KOMMUN)}
    FundingShare.objects.create(association=personas.a, organisation=members["0180"],
                                share_pct=Decimal(100))
    with pytest.raises(ValidationError) as info:
        make_year(personas)
    assert "Haninges kommun saknar andel" in messages(info.value)
    assert not FinanceYear.objects.exists()
    assert not AuditEvent.objects.filter(object_type="finance.financeyear").exists()


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"frame": "-5"}, "frame", "negativt"),
        ({"frame": "1,234"}, "frame", "tvetydigt"),
        ({"frame": "1.234"}, "frame", "tvetydigt"),
        ({"frame": "1 234,50"}, "frame", "hela kronor"),
        ({"frame": ""}, "frame", "ange ett belopp"),
        ({"opening_equity": "-1"}, "opening_equity", "negativt"),
        ({"other_income": "12 34"}, "other_income", "gruppering"),
        ({"year": 2009}, "year", "utanför förbundets verksamhetstid"),
        ({"year": "tjugo"}, "year", "årtal"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(personas, key_a, changes, field, fragment):
    args = {"frame": "1 000 000", "year": YEAR, **changes}
    with pytest.raises(ValidationError) as info:
        services.finance_year_set(actor=personas.admin_a, association=personas.a, **args)
    assert fragment in " ".join(info.value.message_dict[field])
    assert not FinanceYear.objects.exists()
    assert not MemberContribution.objects.exists()


def test_year_after_dissolution_refused(personas, key_a):
    personas.a.dissolved = dt.date(2020, 6, 30)
    personas.a.save()
    with pytest.raises(ValidationError, match="2010–2020"):
        make_year(personas)


def test_swedish_formats_accepted(personas, key_a):
    fy = make_year(personas, frame="2 000 000,00", opening_equity="1234567")
    assert fy.frame == 2_000_000 and fy.opening_equity == 1_234_567


def test_reframing_keeps_payment_dates(personas, key_a):
    fy = make_year(personas)
    fk = Organisation.objects.get(kind=PartyKind.FK)
    services.contribution_payment_set(actor=personas.admin_a, finance_year=fy, organisation=fk,
                                      paid_on=dt.date(YEAR, 2, 1))
    fy = make_year(personas, frame="2 000 000")
    c = fy.contributions.get(organisation=fk)
    assert c.amount == 1_000_000 and c.paid_on == dt.date(YEAR, 2, 1)


def test_payment_for_a_non_member_refused(personas, key_a):
    fy = make_year(personas)
    outsider = Organisation.objects.get(municipality_id="1480")  # member of B only
    with pytest.raises(ValidationError) as info:
        services.contribution_payment_set(actor=personas.admin_a, finance_year=fy,
                                          organisation=outsider, paid_on=dt.date(YEAR, 1, 5))
    assert "är inte medlem" in messages(info.value)
    assert not AuditEvent.objects.filter(object_type="finance.membercontribution").exists()


def test_payment_in_future_refused(personas, key_a):
    fy = make_year(personas)
    fk = Organisation.objects.get(kind=PartyKind.FK)
    with pytest.raises(ValidationError, match="framtiden"):
        services.contribution_payment_set(actor=personas.admin_a, finance_year=fy,
                                          organisation=fk,
                                          paid_on=dt.date.today() + dt.timedelta(days=2))


def test_only_own_admins_edit_money(personas, key_a):
    with pytest.raises(PermissionDenied):
        services.finance_year_set(actor=personas.admin_b, association=personas.a, year=YEAR,
                                  frame="100")
    with pytest.raises(PermissionDenied):
        services.finance_year_set(actor=personas.manager_a, association=personas.a, year=YEAR,
                                  frame="100")
    assert AuditEvent.objects.filter(action="PERMISSION_DENIED").count() == 2
    assert not FinanceYear.objects.exists()


def test_budget_versions_lock_after_adoption(personas, key_a, insatser_a):
    fy = make_year(personas)
    draft = services.budget_draft_create(actor=personas.admin_a, finance_year=fy)
    assert draft.version == 1
    with pytest.raises(ValidationError, match="redan ett utkast"):
        services.budget_draft_create(actor=personas.admin_a, finance_year=fy)
    services.budget_update(actor=personas.admin_a, budget=draft, board="50 000",
                           administration="300 000", audit="20 000")
    with pytest.raises(ValidationError, match="negativt"):
        services.budget_update(actor=personas.admin_a, budget=draft, board="-1",
                               administration="0", audit="0")
    with pytest.raises(ValidationError, match="Beslutsdatum"):
        services.budget_adopt(actor=personas.admin_a, budget=draft, decided_on=None)
    adopted = services.budget_adopt(actor=personas.admin_a, budget=draft,
                                    decided_on=dt.date(YEAR - 1, 12, 10))
    assert adopted.interventions_total == 1_000_000
    assert adopted.intervention_lines.count() == 2
    with pytest.raises(ValidationError, match="fastställd och låst"):
        services.budget_update(actor=personas.admin_a, budget=adopted, board="1",
                               administration="1", audit="1")
    assert Budget.objects.get(pk=adopted.pk).board == 50_000
    v2 = services.budget_draft_create(actor=personas.admin_a, finance_year=fy)
    assert (v2.version, v2.board, v2.administration) == (2, 50_000, 300_000)
    events = AuditEvent.objects.filter(object_type="finance.budget").values_list("action",
                                                                              flat=True)
    assert list(events).count("CREATE") == 2


def test_outcome_equity_and_utilisation(personas, key_a, insatser_a):
    fy = make_year(personas, frame="2 000 000", opening_equity="300 000",
                   other_income="50 000")
    services.budget_draft_create(actor=personas.admin_a, finance_year=fy)
    services.actual_costs_set(actor=personas.admin_a, finance_year=fy, board="40 000",
                              administration="290 000", audit="20 000")
    fy.refresh_from_db()
    f = selectors.year_figures(user=personas.admin_a, finance_year=fy)
    # costs: 40 000 + 290 000 + 20 000 + insatser 550 000 + 420 000 = 1 320 000
    assert f.costs == 1_320_000 and f.costs_complete
    assert f.closing_equity == 300_000 + 2_000_000 + 50_000 - 1_320_000 == 1_030_000
    assert f.utilisation_pct == Decimal("56.2")  # 1 320 000 / 2 350 000
    assert f.equity_share_pct == Decimal("51.5")  # 1 030 000 / 2 000 000
    insats = {i.name: i for i in f.interventions}
    assert insats["Steget vidare"].difference == -50_000


def test_actual_costs_bad_input(personas, key_a):
    fy = make_year(personas)
    with pytest.raises(ValidationError) as info:
        services.actual_costs_set(actor=personas.admin_a, finance_year=fy, board="-1",
                                  administration="1.234", audit="")
    assert set(info.value.message_dict) == {"board", "administration"}
    assert FinanceYear.objects.get(pk=fy.pk).actual_board is None


def test_sysadmin_may_edit_any_forbund(personas, key_a):
    fy = services.finance_year_set(actor=personas.sysadmin, association=personas.a, year=YEAR,
                                   frame="400")
    assert fy.contributions.count() == 4


def test_user_without_role_is_refused(personas, key_a):
    stranger = factories.UserFactory(username="stranger")
    with pytest.raises(PermissionDenied):
        make_year(personas) and services.finance_year_set(
            actor=stranger, association=personas.a, year=YEAR, frame="1")
