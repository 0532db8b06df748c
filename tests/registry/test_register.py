"""Register matching end to end: cohort export (age-encrypted) → synthetic register file →
import → register indicators in the Uppföljningsrapport; and the refusal paths."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pyrage
import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from stegvis.audit.models import Action, AuditEvent
from stegvis.indicators import reports, selectors
from stegvis.indicators.periods import Period
from stegvis.lib.dates import add_months
from stegvis.participants import services as participant_services
from stegvis.registry import rules, services
from stegvis.registry.models import CohortExport, CohortMember, RegisterImport, RegisterOutcome
from tests import factories
from tests.followup.conftest import ended
from tests.participants.conftest import insats  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Per person (in the order of the cohort file): support measures, work, studies, born abroad.
SYNTHETIC = [
    ("", "1", "0", "0"),
    ("sjukpenning", "0", "0", "1"),
    ("", "0", "1", "0"),
    ("aktivitetsstod", "0", "1", "1"),
    ("", "1", "0", ""),
    ("", "1", "1", "0"),
    ("ekonomiskt_bistand,sjukpenning", "0", "0", "1"),
    ("", "1", "0", "0"),
]


@pytest.fixture
def cohort(personas, insats):  # noqa: F811
    people = [ended(personas, insats, days_ago=400) for _ in SYNTHETIC]
    withdrawn = ended(personas, insats, days_ago=400)
    participant_services.consent_withdraw(actor=personas.officer_a, participation=withdrawn)
    no_consent = ended(personas, insats, days_ago=400, follow_up=False)
    factories.totp(personas.admin_a)
    return people, withdrawn, no_consent


def _export(personas, tmp_path, identity):
    out = tmp_path / "kohort.age"
    call_command("cohort_export", forbund=personas.a.pk, user="admin_a", recipient="SCB",
                 public_key=str(identity.to_public()), purpose="Utvärdering av insatser",
                 legal_basis="Art. 6.1 e och 9.2 j", output=out, stdout=io.StringIO())
    with zipfile.ZipFile(io.BytesIO(pyrage.decrypt(out.read_bytes(), [identity]))) as z:
        data, manifest = z.read("kohort.csv"), z.read("manifest.txt").decode()
    return list(csv.DictReader(io.StringIO(data.decode()), delimiter=";")), data, manifest


def _register_file(rows, values=SYNTHETIC) -> str:
    lines = [";".join(rules.OUTCOME_COLUMNS)]
    for row, (support, work, studies, abroad) in zip(rows, values, strict=True):
        month = add_months(dt.date.fromisoformat(row["slutdatum"]), 6)
        lines.append(f"{row['nyckel']};{month:%Y-%m};{support};{work};{studies};{abroad}")
    return "\n".join(lines) + "\n"


def _uppfoljning(personas):
    today = timezone.localdate()
    query = selectors.resolve_query(user=personas.reader_a,
                                    period=Period(today - dt.timedelta(days=364), today),
                                    association_ids=[personas.a.pk])
    return reports.bundle(user=personas.reader_a, query=query).reports["uppfoljning"]


def test_export_import_and_register_indicators(personas, cohort, tmp_path, client_for):
    people, withdrawn, no_consent = cohort
    identity = pyrage.x25519.Identity.generate()
    rows, data, manifest = _export(personas, tmp_path, identity)
    export = CohortExport.objects.get()
    # Consent to follow-up only, never withdrawn: exactly the eight.
    assert len(rows) == 8 == export.row_count
    assert {r["nyckel"] for r in rows} == set(
        CohortMember.objects.values_list("key", flat=True))
    exported = set(CohortMember.objects.values_list("participation_id", flat=True))
    assert exported == {p.pk for p in people}
    assert withdrawn.pk not in exported and no_consent.pk not in exported
    assert all(len(r["personnummer"]) == 12 and r["aldersgrupp"] for r in rows)
    assert "Antal rader: 8" in manifest and rules.checksum(data) in manifest
    assert "Utvärdering av insatser" in manifest and "admin_a" in manifest
    event = AuditEvent.objects.get(action=Action.EXPORT, object_type="registry.cohortexport")
    assert event.details["rows"] == 8 and "personnummer" not in str(event.details)
    for r in rows:
        assert r["personnummer"] not in str(event.details)

    register = tmp_path / "scb.csv"
    register.write_text(_register_file(rows), encoding="utf-8")
    out = io.StringIO()
    call_command("register_import", register, export=export.pk, user="admin_a", stdout=out)
    assert "Förhandsgranskning" in out.getvalue() and RegisterOutcome.objects.count() == 0
    call_command("register_import", register, export=export.pk, user="admin_a", commit=True,
                 destroy_keys=True, stdout=io.StringIO())
    assert RegisterOutcome.objects.count() == 8
    assert CohortMember.objects.count() == 0  # the key mapping is destroyed
    assert CohortExport.objects.get().keys_destroyed_at is not None

    report = _uppfoljning(personas)
    t = next(t for t in report.tables if t.key == "register_6m")
    cells = {r.key: r.cells for r in t.rows}
    # Columns: K, M, T, born in Sweden, born abroad, unknown.
    women = sum(1 for r in rows if r["kon"] == "K")
    assert [c.value for c in cells["register_6m_cohort"]] == [women, 8 - women, 8, 4, 3, 1]
    assert cells["register_6m_no_public_support"][2].numerator == 5
    assert cells["register_6m_work"][2].numerator == 4
    assert cells["register_6m_work_or_studies"][2].numerator == 6
    assert [c.numerator for c in cells["register_6m_work_or_studies"][3:]] == [4, 1, 1]
    assert cells["register_6m_no_public_support"][2].value == pytest.approx(5 / 8)
    assert not cells["register_6m_cohort"][2].suppressed
    assert cells["register_6m_cohort"][4].suppressed  # 3 born abroad: fewer than 5
    # No register data for the month 12 months after the end: nobody in that cohort.
    t12 = next(t for t in report.tables if t.key == "register_12m")
    assert t12.rows[0].cells[2].value == 0

    # Coverage (issue 14 §3): the register is the third source for the same people. At 6
    # months all 8 due have a register outcome for the month (none was reached by coach or
    # self-report); at 3 and 12 months nobody has one (no data imported for those months).
    cov = {r.key: r.cells[2] for r in next(
        t for t in report.tables if t.key == "followup_6m_coverage").rows}
    assert (cov["due"].value, cov["open"].value, cov["coach"].value) == (8, 8, 0)
    assert (cov["register"].value, cov["register_missing"].value) == (8, 0)
    assert not cov["register"].suppressed
    cov3 = {r.key: r.cells[2] for r in next(
        t for t in report.tables if t.key == "followup_3m_coverage").rows}
    assert (cov3["register"].value, cov3["register_missing"].value) == (0, 8)

    # The same register indicators through the API (issue 14 §2: report, API and exports).
    today = timezone.localdate()
    r = client_for(personas.reader_a).get("/api/v1/reports/uppfoljning", {
        "from": str(today - dt.timedelta(days=364)), "to": str(today),
        "association": personas.a.pk})
    assert r.status_code == 200
    api = {row["key"]: row["cells"] for t in r.json()["tables"] if t["key"] == "register_6m"
           for row in t["rows"]}
    assert [c["value"] for c in api["register_6m_cohort"]][:3] == [women, 8 - women, 8]
    assert api["register_6m_work_or_studies"][2]["numerator"] == 6
    hidden = api["register_6m_cohort"][4]  # 3 born abroad: hidden here too, value withheld
    assert hidden["suppressed"] is True and hidden["value"] is None


def test_refusals(personas, cohort, tmp_path, client_for):
    identity = pyrage.x25519.Identity.generate()
    key = str(identity.to_public())
    kwargs = {"recipient": "SCB", "public_key": key, "purpose": "x", "legal_basis": "y"}
    # Wrong role, or the right role without two-factor sign-in, or national without sysadmin.
    for user, association in ((personas.reader_a, personas.a), (personas.admin_b, personas.a),
                              (personas.admin_a, None)):
        with pytest.raises(PermissionDenied):
            services.cohort_export(actor=user, association=association, **kwargs)
    Authenticator.objects.filter(user=personas.admin_b).delete()  # no two-factor sign-in
    with pytest.raises(PermissionDenied):
        services.cohort_export(actor=personas.admin_b, association=personas.b, **kwargs)
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED,
                                     object_type="registry.export").count() == 4
    with pytest.raises(ValidationError) as e:
        services.cohort_export(actor=personas.admin_a, association=personas.a,
                               **{**kwargs, "public_key": "inte en nyckel"})
    assert "age-nyckel" in str(e.value)
    with pytest.raises(CommandError):
        call_command("cohort_export", forbund=personas.a.pk, user="reader_a", recipient="SCB",
                     public_key=key, purpose="x", legal_basis="y", output=tmp_path / "f.age")
    assert not (tmp_path / "f.age").exists() and CohortExport.objects.count() == 0

    rows, _data, _manifest = _export(personas, tmp_path, identity)
    export = CohortExport.objects.get()
    good = _register_file(rows)
    # Malformed rows: every error is reported with its line, nothing is imported.
    bad = good.replace(f"{rows[1]['nyckel']};", f"{rows[1]['nyckel']};2025-13;", 1)
    bad = bad.replace(";sjukpenning;", ";sjukpension;", 1) + "ffff;2025-01;;1;0;\n"
    preview = services.outcome_preview(actor=personas.admin_a, export=export, text=bad)
    assert not preview.ok and any(e.startswith("Rad 3:") for e in preview.errors)
    assert any("Rad 10:" in e and "nyckeln har fel form" in e for e in preview.errors)
    with pytest.raises(ValidationError):
        services.outcome_import(actor=personas.admin_a, export=export, text=bad,
                                destroy_keys=False)
    assert RegisterOutcome.objects.count() == 0
    # Unknown (well-formed) keys are refused too.
    unknown = good + f"{rules.new_key()};2025-01;;1;0;\n"
    with pytest.raises(CommandError, match="nyckeln finns inte i exporten"):
        path = tmp_path / "unknown.csv"
        path.write_text(unknown, encoding="utf-8")
        call_command("register_import", path, export=export.pk, user="admin_a", commit=True,
                     stdout=io.StringIO())
    assert RegisterOutcome.objects.count() == 0
    # Another förbund's administrator cannot import into A's export.
    with pytest.raises(PermissionDenied):
        services.outcome_preview(actor=personas.admin_b, export=export, text=good)
    # Imported once; the same months again are refused.
    services.outcome_import(actor=personas.admin_a, export=export, text=good, destroy_keys=False)
    again = services.outcome_preview(actor=personas.admin_a, export=export, text=good)
    assert any("redan importerad" in e for e in again.errors)


def test_pages_export_preview_and_import(personas, cohort, client_for):
    identity = pyrage.x25519.Identity.generate()
    c = client_for(personas.admin_a)
    page = c.get("/registermatchning/")
    assert page.status_code == 200 and "Ny kohortexport" in page.content.decode()
    bad = c.post("/registermatchning/", {"scope": str(personas.a.pk), "recipient": "SCB",
                                         "public_key": "fel", "purpose": "", "legal_basis": "x"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Ändamål: ange ändamålet." in html and 'value="SCB"' in html  # nothing lost
    made = c.post("/registermatchning/", {"scope": str(personas.a.pk), "recipient": "SCB",
                                          "public_key": str(identity.to_public()),
                                          "purpose": "Utvärdering", "legal_basis": "x"})
    assert made.status_code == 200 and made["Content-Type"] == "application/octet-stream"
    with zipfile.ZipFile(io.BytesIO(pyrage.decrypt(made.content, [identity]))) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("kohort.csv").decode()), delimiter=";"))
    export = CohortExport.objects.get()
    url = f"/registermatchning/{export.pk}/import/"
    upload = io.BytesIO(_register_file(rows).encode())
    upload.name = "scb.csv"
    preview = c.post(url, {"file": upload})
    assert preview.status_code == 200 and "8 rader för 8 personer" in preview.content.decode()
    assert RegisterOutcome.objects.count() == 0
    done = c.post(url, {"content": _register_file(rows), "commit": "1"})
    assert done.status_code == 302 and RegisterOutcome.objects.count() == 8
    # A report reader has no register pages; another förbund's admin cannot reach A's export.
    assert client_for(personas.reader_a).get("/registermatchning/").status_code == 403
    assert client_for(personas.admin_b).get(url).status_code == 404


def test_register_coverage_is_protected_with_due(personas, cohort, tmp_path):
    """3 of 8 due with a register outcome: 3 is hidden, and so is the 5 without one, since due
    (8) is shown and 8 − 5 would give the 3 back."""
    identity = pyrage.x25519.Identity.generate()
    rows, _data, _manifest = _export(personas, tmp_path, identity)
    export = CohortExport.objects.get()
    text = _register_file(rows[:3], SYNTHETIC[:3])
    services.outcome_import(actor=personas.admin_a, export=export, text=text, destroy_keys=True)
    report = _uppfoljning(personas)
    cov = {r.key: r.cells[2] for r in next(
        t for t in report.tables if t.key == "followup_6m_coverage").rows}
    assert cov["due"].value == 8 and not cov["due"].suppressed
    assert cov["register"].value == 3 and cov["register"].suppressed
    assert cov["register_missing"].value == 5 and cov["register_missing"].suppressed


def test_register_matching_is_in_the_administration_menu_of_those_allowed(personas, client_for):
    for user in (personas.admin_a, personas.sysadmin):
        c = client_for(user)
        assert 'href="/administration/"' in c.get("/").content.decode()  # the main menu
        html = c.get("/administration/").content.decode()
        assert 'href="/registermatchning/"' in html
        page = c.get("/registermatchning/")
        assert page.status_code == 200
        # The menu marks Administration as the area the page belongs to.
        assert 'href="/administration/" aria-current="true"' in page.content.decode()
    for user in (personas.officer_a, personas.reader_a, personas.auditor_a):
        c = client_for(user)
        assert "/registermatchning/" not in c.get("/").content.decode()
        assert c.get("/administration/").status_code == 403
        assert c.get("/registermatchning/").status_code == 403


def test_withdrawal_after_export_refuses_the_row_and_erases_imported_outcomes(
        personas, cohort, tmp_path):
    people, _withdrawn, _no_consent = cohort
    identity = pyrage.x25519.Identity.generate()
    rows, _data, _manifest = _export(personas, tmp_path, identity)
    export = CohortExport.objects.get()
    by_key = dict(CohortMember.objects.values_list("key", "participation_id"))
    late = next(p for p in people if p.pk == by_key[rows[0]["nyckel"]])
    participant_services.consent_withdraw(actor=personas.officer_a, participation=late)
    # The register holder answered for everyone: the withdrawn person's row is refused.
    preview = services.outcome_preview(actor=personas.admin_a, export=export,
                                       text=_register_file(rows))
    assert preview.errors == ["Rad 2: nyckeln finns inte i exporten (eller personen har "
                              "återkallat sitt samtycke); ta bort raden."]
    assert not CohortMember.objects.filter(participation=late).exists()  # key erased too
    services.outcome_import(actor=personas.admin_a, export=export,
                            text=_register_file(rows[1:], SYNTHETIC[1:]), destroy_keys=False)
    assert RegisterOutcome.objects.count() == 7
    # A withdrawal after the import erases that person's register outcomes, audited.
    other = next(p for p in people if p.pk == by_key[rows[1]["nyckel"]])
    participant_services.consent_withdraw(actor=personas.officer_a, participation=other)
    assert not RegisterOutcome.objects.filter(participation=other).exists()
    assert RegisterOutcome.objects.count() == 6
    event = AuditEvent.objects.get(object_type="registry.registeroutcome", object_id=other.pk)
    assert event.details["outcomes"] == 1 and event.details["why"] == "consent_withdrawn"


def test_import_refusal_is_audited(personas, cohort, tmp_path):
    identity = pyrage.x25519.Identity.generate()
    rows, _data, _manifest = _export(personas, tmp_path, identity)
    export = CohortExport.objects.get()
    for user in (personas.reader_a, personas.admin_b):
        with pytest.raises(PermissionDenied):
            services.outcome_import(actor=user, export=export, text=_register_file(rows),
                                    destroy_keys=True)
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED,
                                     object_type="registry.import").count() == 2
    assert RegisterOutcome.objects.count() == 0 and CohortMember.objects.count() == 8


def test_withdrawn_consent_erases_register_keys_and_outcomes(personas, insats):  # noqa: F811
    """Consent withdrawal (participants) erases registry data through the erasure hook the
    registry app fills at start-up: in the same call, audited with counts only."""
    kept, withdrawn = (ended(personas, insats, days_ago=400) for _ in range(2))
    export = CohortExport.objects.create(association=personas.a, ordered_by=personas.admin_a,
                                         recipient="SCB", purpose="p", legal_basis="b",
                                         checksum="0" * 64)
    register_import = RegisterImport.objects.create(export=export, imported_by=personas.admin_a,
                                                    row_count=2)
    for i, p in enumerate((kept, withdrawn)):
        CohortMember.objects.create(export=export, participation=p, key=f"k{i}")
        RegisterOutcome.objects.create(register_import=register_import, participation=p,
                                       month=dt.date(2025, 1, 1), employed=True, studying=False)
    participant_services.consent_withdraw(actor=personas.officer_a, participation=withdrawn)
    assert set(RegisterOutcome.objects.values_list("participation_id", flat=True)) == {kept.pk}
    assert set(CohortMember.objects.values_list("participation_id", flat=True)) == {kept.pk}
    event = AuditEvent.objects.get(object_type="registry.registeroutcome", action=Action.DELETE)
    assert event.details == {"participation": withdrawn.pk, "keys": 1, "outcomes": 1,
                             "why": "consent_withdrawn"}
