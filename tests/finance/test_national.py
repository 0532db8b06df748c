"""The national model in the database: parameters, CSV import, calculation, förhandsbesked,
decisions and what-if. Only systemadministratörer; every change audited; nothing saved on error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.associations.models import AreaPart
from stegvis.audit.models import AuditEvent
from stegvis.finance import allocation as am
from stegvis.finance import selectors, services
from stegvis.finance.models import (
    AllocationInput,
    AllocationKommunInput,
    AllocationParameters,
    DecidedAllocation,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
GOOD = (
    "kommunkod;forsorjningsmatt;befolkning\n"
    "0180;1 000 000 000;600 000\n"
    "0136;100 000 000,50;50 000\n"
    "1480;500 000 000;400 000\n"
    "0114;7 000;10\n"
)
SCALE = [(0, "30"), ("5 000 000", "20"), ("10 000 000", "15"), ("", "")]


def params(actor, **changes):
    args = dict(allocation_year=YEAR, state_total="10 000 000", base_amount="400 000",
                key_support_pct="75", key_population_pct="25", age_to="64",
                max_reduction_pct="10", equity_scale=SCALE)
    args.update(changes)
    return services.parameters_create(actor=actor, **args)


@pytest.fixture
def model(personas):
    params(personas.sysadmin)
    services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=YEAR, text=GOOD)
    return personas


def test_parameters_are_versioned_and_audited(personas):
    p1 = params(personas.sysadmin)
    p2 = params(personas.sysadmin, base_amount="500 000")
    assert (p1.version, p2.version) == (1, 2)
    assert [int(s.from_size) for s in p2.equity_scale.all()] == [0, 5_000_000, 10_000_000]
    assert AuditEvent.objects.filter(object_type="finance.allocationparameters").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"key_support_pct": "70"}, "key_population_pct", "100 %"),
        ({"key_population_pct": "30,5"}, "key_population_pct", "100 %"),
        ({"state_total": "-1"}, "state_total", "negativt"),
        ({"state_total": "1.234"}, "state_total", "tvetydigt"),
        ({"age_to": "66"}, "age_to", "16–64 eller 16–65"),
        ({"max_reduction_pct": "120"}, "max_reduction_pct", "mellan 0 och 100"),
        ({"equity_scale": [("5 000", "20")]}, "equity_scale", "börja på 0 kr"),
        ({"equity_scale": []}, "equity_scale", "minst ett steg"),
    ],
)
def test_bad_parameters_refused(personas, changes, field, fragment):
    with pytest.raises(ValidationError) as info:
        params(personas.sysadmin, **changes)
    assert fragment in " ".join(info.value.message_dict[field])
    assert not AllocationParameters.objects.exists()


def test_only_sysadmin_edits_the_national_model(personas):
    with pytest.raises(PermissionDenied):
        params(personas.admin_a)
    with pytest.raises(PermissionDenied):
        services.allocation_inputs_import(actor=personas.admin_a, allocation_year=YEAR,
                                          text=GOOD)
    with pytest.raises(PermissionDenied):
        services.allocation_decide(actor=personas.national_reader, allocation_year=YEAR,
                                   amounts={personas.a.pk: 1}, decided_on=dt.date(2024, 12, 1))
    assert AuditEvent.objects.filter(action="PERMISSION_DENIED").count() == 3
    assert not AllocationParameters.objects.exists()


def test_import_sums_kommuner_to_each_area(model):
    inputs = {i.association_id: i for i in AllocationInput.objects.filter(allocation_year=YEAR)}
    a, b = model.a.pk, model.b.pk
    assert inputs[a].support_measure == Decimal("1100000000.50")
    assert inputs[a].population == 650_000
    assert inputs[b].support_measure == Decimal(500_000_000)
    assert inputs[b].population == 400_000
    # A kommun outside every area is kept for what-if but counts for nobody.
    assert AllocationKommunInput.objects.filter(allocation_year=YEAR).count() == 4
    event = AuditEvent.objects.get(object_type="finance.allocationinput")
    assert event.details["rows"] == 4


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("kommunkod;forsorjningsmatt\n0180;1\n", "Kolumnen ”befolkning” saknas"),
        ("", "Filen är tom"),
        ("kommunkod;forsorjningsmatt;befolkning\n", "inga datarader"),
        ("kommunkod;forsorjningsmatt;befolkning\n9999;1;1\n", "Okänd kommunkod ”9999”"),
        ("kommunkod;forsorjningsmatt;befolkning\n180;1;1\n", "fyra siffror"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;1;1\n0180;2;2\n",
         "Dubblett: kommun 0180 finns redan på rad 2"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;1,234;1\n", "tvetydigt"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;1.234,5;1\n", "blandar punkt och komma"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;-5;1\n", "negativt"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;5;1,5\n", "heltal"),
        ("kommunkod;forsorjningsmatt;befolkning\n0180;;1\n", "Försörjningsmått saknas"),
        ("kommunkod;forsorjningsmatt;befolkning;forbund\n0180;1;1;999999-9999\n",
         "Okänt förbund"),
    ],
)
def test_bad_csv_refused_with_row_messages_and_nothing_saved(personas, text, fragment):
    good_then_bad = text
    preview = services.import_check(YEAR, good_then_bad)
    assert not preview.ok
    all_messages = preview.problems + [p for r in preview.rows for p in r.problems]
    assert any(fragment in m for m in all_messages), all_messages
    with pytest.raises(ValidationError) as info:
        services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=YEAR,
                                          text=text)
    assert any(fragment in m for m in info.value.message_dict["file"])
    assert not AllocationInput.objects.exists()
    assert not AllocationKommunInput.objects.exists()


def test_one_bad_row_saves_nothing(personas):
    services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=YEAR, text=GOOD)
    with pytest.raises(ValidationError):
        services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=YEAR,
                                          text=GOOD + "9999;1;1\n")
    assert AllocationInput.objects.filter(allocation_year=YEAR).count() == 2


def test_shared_kommun_needs_the_forbund_column(personas):
    AreaPart.objects.create(association=personas.a, municipality_id="1480", district="Hisingen")
    AreaPart.objects.filter(association=personas.b, municipality_id="1480").update(
        district="Centrum"
    )
    preview = services.import_check(YEAR, GOOD)
    row = next(r for r in preview.rows if r.kommunkod == "1480")
    assert "ingår i flera förbunds områden" in row.problems[0]
    text = (
        "kommunkod;forsorjningsmatt;befolkning;forbund\n"
        "0180;10;1;\n0136;10;1;\n"
        f"1480;300;30;{personas.a.org_number}\n1480;200;20;{personas.b.org_number}\n"
    )
    totals = services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=YEAR,
                                               text=text)
    by = {t.association: (t.support_measure, t.population) for t in totals}
    assert by[personas.a.pk] == (Decimal(320), 32)
    assert by[personas.b.pk] == (Decimal(200), 20)


def test_calculation_uses_previous_decision_and_cap(model):
    a, b = model.a.pk, model.b.pk
    calc = selectors.calculation(user=model.sysadmin, allocation_year=YEAR)
    assert calc.result is not None and calc.result.total == 10_000_000
    b_model = calc.result.by_key()[b].amount
    # Last year B got much more: the cap holds B at 90 % of it; A pays.
    DecidedAllocation.objects.create(allocation_year=YEAR - 1, association_id=b,
                                     amount=b_model + 1_000_000, decided_on=dt.date(2024, 1, 1))
    calc = selectors.calculation(user=model.sysadmin, allocation_year=YEAR)
    rows = calc.result.by_key()
    floor = -(-(b_model + 1_000_000) * 9 // 10)
    assert rows[b].capped and rows[b].amount == floor
    assert rows[a].amount == 10_000_000 - floor


def test_advance_notice_at_most_model_amount(model):
    calc = selectors.calculation(user=model.sysadmin, allocation_year=YEAR)
    amount = calc.result.by_key()[model.a.pk].amount
    with pytest.raises(ValidationError, match="får inte vara större än modellens belopp"):
        services.advance_notice_set(actor=model.admin_a, association=model.a,
                                    allocation_year=YEAR, requested=amount + 1)
    with pytest.raises(PermissionDenied):
        services.advance_notice_set(actor=model.admin_b, association=model.a,
                                    allocation_year=YEAR, requested=1)
    notice = services.advance_notice_set(actor=model.admin_a, association=model.a,
                                         allocation_year=YEAR, requested=f"{amount - 5}")
    assert notice.requested == amount - 5 and notice.model_amount == amount


def test_decide_checks_total_and_request(model):
    a, b = model.a.pk, model.b.pk
    day = dt.date(2024, 12, 1)
    with pytest.raises(ValidationError, match="större än statens totala belopp"):
        services.allocation_decide(actor=model.sysadmin, allocation_year=YEAR,
                                   amounts={a: "9 000 000", b: "2 000 000"}, decided_on=day)
    services.advance_notice_set(actor=model.sysadmin, association=model.a,
                                allocation_year=YEAR, requested=5_000_000)
    with pytest.raises(ValidationError, match="större än förhandsbeskedet"):
        services.allocation_decide(actor=model.sysadmin, allocation_year=YEAR,
                                   amounts={a: "5 000 001"}, decided_on=day)
    with pytest.raises(ValidationError, match="Beslutsdatum"):
        services.allocation_decide(actor=model.sysadmin, allocation_year=YEAR,
                                   amounts={a: "1"}, decided_on=None)
    assert not DecidedAllocation.objects.exists()
    services.allocation_decide(actor=model.sysadmin, allocation_year=YEAR,
                               amounts={a: "5 000 000", b: "4 000 000"}, decided_on=day)
    assert DecidedAllocation.objects.get(association_id=b).amount == 4_000_000
    assert AuditEvent.objects.filter(object_type="finance.decidedallocation").exists()


def test_what_if_new_forbund_and_changed_parameters(model):
    current = selectors.parameters_current(user=model.sysadmin, allocation_year=YEAR)
    from stegvis.finance.figures import to_model_parameters

    base = to_model_parameters(current)
    changed = am.Parameters(**{**base.__dict__, "base_amount": 0})
    _now, other, comparison, problems = selectors.what_if(
        user=model.sysadmin, allocation_year=YEAR, model_parameters=changed,
        new_name="Haninge eget", kommunkoder=["0136"],
    )
    assert problems == []
    assert other.result.total == 10_000_000
    names = [c.name for c in comparison]
    assert names[-1] == "Haninge eget" and comparison[-1].current is None
    a_input = next(i for i in other.inputs if i.key == model.a.pk)
    assert a_input.support_measure == Decimal(1_000_000_000)
    _now, _other, _cmp, problems = selectors.what_if(
        user=model.sysadmin, allocation_year=YEAR, model_parameters=base, kommunkoder=["9999"]
    )
    assert problems == ["Okänd kommunkod ”9999”."]
    with pytest.raises(PermissionDenied):
        selectors.what_if(user=model.admin_a, allocation_year=YEAR, model_parameters=base)
