"""The Swedish texts come out of the shipped message catalogue, also for the rule modules that
import no Django (they translate through ``stegvis.lib.i18n``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from stegvis.finance import numbers
from stegvis.indicators import maths
from stegvis.lib import i18n
from stegvis.lib import personnummer as pnr
from stegvis.participants import domain


@pytest.mark.parametrize(
    "message",
    [
        pnr.MSG_FORMAT,
        domain.MSG_SECOND_OPEN,
        numbers.NOT_A_NUMBER,
        maths.REASON_NO_PEOPLE,
        maths.HEADLINE_LABEL["followup_12m_response"],
        "%(label)s: välj ett värde.",
        "Hur går det för dig?",  # a template's {% translate %}
    ],
)
def test_the_swedish_catalogue_holds_the_message(message):
    catalogue = trans_real.translation("sv")._catalog
    assert catalogue.get(message) == message


def test_a_pure_rule_speaks_the_active_language(monkeypatch):
    """The rule module's message goes through Django's gettext: a translation installed for the
    active language is what the user reads."""
    catalogue = trans_real.translation("sv")._catalog
    monkeypatch.setitem(catalogue, pnr.MSG_FORMAT, "Fel format på personnumret.")
    with translation.override("sv"), pytest.raises(pnr.PersonnummerError) as exc:
        pnr.parse("12", today=dt.date(2026, 1, 1))
    assert exc.value.message == "Fel format på personnumret."


def test_an_empty_reason_stays_empty():
    """Translating "" would give the catalogue's header; a missing reason must stay blank."""
    with translation.override("sv"):
        assert i18n.gettext("") == ""
