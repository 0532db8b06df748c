"""How report cells and charts look to a reader."""

from __future__ import annotations

from stegvis.indicators import charts
from stegvis.indicators.tables import CHANGE, COUNT, Cell, Row, Table


def test_change_in_percentage_points_reads_as_swedish():
    assert Cell(kind=CHANGE, value=21.7).display() == "+21,7 p.e."
    assert Cell(kind=CHANGE, value=-3.25).display() == "\u22123,2 p.e."  # U+2212 minus
    assert Cell(kind=CHANGE, value=-0.01).display() == "0,0 p.e."  # no minus on a zero


def _table(values: list[tuple[int, int, int, bool]]) -> Table:
    rows = [
        Row(header=f"Rad {i}", cells=[Cell(COUNT, k, suppressed=s), Cell(COUNT, m, suppressed=s),
                                      Cell(COUNT, t)])
        for i, (k, m, t, s) in enumerate(values)
    ]
    return Table(key="t", caption="Test", row_header="Rad", columns=["Kvinnor", "Män", "Totalt"],
                 rows=rows, triples=[(0, 1, 2)], chart=True)


def test_no_chart_when_every_value_is_hidden():
    assert charts.data_uri(_table([(3, 2, 5, True), (1, 1, 2, True)])) is None


def test_chart_when_values_are_shown():
    uri = charts.data_uri(_table([(12, 9, 21, False), (3, 2, 5, True)]))
    assert uri is not None and uri.startswith("data:image/svg+xml;base64,")
