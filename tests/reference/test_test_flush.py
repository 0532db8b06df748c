"""The suite's flush after a transactional test: cheap, and no test sees another test's rows."""

from __future__ import annotations

import pytest
from django.db import connection

from stegvis.associations.models import Association
from stegvis.reference.models import Code, Municipality, PopulationByAge
from tests.support import flush

pytestmark = pytest.mark.django_db


@pytest.fixture
def pristine(monkeypatch) -> None:
    """The reference data as the migrations left it is remembered (and forgotten afterwards,
    since everything here is rolled back with the test)."""
    monkeypatch.setattr(flush, "_pristine", {connection.alias: flush.fingerprint(connection)})


def test_the_flush_empties_the_tables_and_keeps_untouched_reference_data(personas, pristine):
    population = PopulationByAge.objects.count()
    codes = list(Code.objects.values_list("pk", "label"))
    flush.flush_after_test(connection)
    assert Association.objects.count() == 0
    assert PopulationByAge.objects.count() == population > 25_000
    assert list(Code.objects.values_list("pk", "label")) == codes


def test_reference_data_a_test_changed_is_put_back_as_the_migrations_left_it(pristine):
    code = Code.objects.order_by("pk").first()
    original = (code.list, code.key, code.label)
    Code.objects.filter(pk=code.pk).update(label="Ändrad av ett test")
    Code.objects.create(list=code.list, key="bara-i-ett-test", label="Bara i ett test")
    Municipality.objects.filter(code="0180").update(name="Ändrad")
    codes = Code.objects.count() - 1
    flush.flush_after_test(connection)
    assert Code.objects.count() == codes
    assert not Code.objects.filter(key="bara-i-ett-test").exists()
    assert Code.objects.get(list=original[0], key=original[1]).label == original[2]
    assert Municipality.objects.get(code="0180").name == "Stockholms kommun"
    assert flush._pristine[connection.alias] == flush.fingerprint(connection)
