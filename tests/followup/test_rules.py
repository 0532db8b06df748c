"""Pure rules: the follow-up window, closure groups, tokens, masking and normalising contacts."""

from __future__ import annotations

import datetime as dt
import itertools

from stegvis.followup import rules
from stegvis.participants import followup


def test_window_runs_from_two_weeks_before_to_two_months_after_due():
    end = dt.date(2024, 11, 30)
    assert followup.window(end, "followup_3m") == (dt.date(2025, 2, 14), dt.date(2025, 4, 28))
    assert followup.window(end, "followup_12m") == (dt.date(2025, 11, 16), dt.date(2026, 1, 30))
    due = followup.due_date(end, "followup_3m")
    assert followup.status(due, dt.date(2025, 2, 13)) == followup.UPCOMING
    assert followup.status(due, dt.date(2025, 2, 14)) == followup.DUE
    assert followup.status(due, dt.date(2025, 4, 28)) == followup.OVERDUE
    assert followup.status(due, dt.date(2025, 4, 29)) == followup.LAPSED
    assert followup.in_window(end, "followup_3m", dt.date(2025, 4, 28))
    assert not followup.in_window(end, "followup_3m", dt.date(2025, 4, 29))
    # the windows of one participation never overlap
    windows = [followup.window(end, o) for o in followup.FOLLOW_UP_MONTHS]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(windows))


def test_closure_groups():
    assert rules.closure_group("avbojt") == rules.GROUP_DECLINED
    for key in ("ej_nadd", "avliden", "flyttat_utomlands", "annat"):
        assert rules.closure_group(key) == rules.GROUP_NOT_REACHED


def test_tokens_are_long_random_and_hashed():
    tokens = {rules.new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) >= 43 for t in tokens)  # >= 256 bits
    token = tokens.pop()
    assert rules.looks_like_token(token) and len(rules.token_hash(token)) == 64
    assert rules.token_hash(token) != rules.token_hash(token[:-1] + "x")
    assert not rules.looks_like_token("kort") and not rules.looks_like_token("a/b" * 20)


def test_contacts_are_normalised_and_masked():
    assert rules.normalise_mobile("070-123 45 67") == "+46701234567"
    assert rules.normalise_mobile("+46 70 123 45 67") == "+46701234567"
    assert rules.normalise_mobile("08-123 456") is None
    assert rules.normalise_email(" kim@exempel.se ") == "kim@exempel.se"
    assert rules.normalise_email("kim@") is None
    assert rules.mask_email("kim.andersson@exempel.se") == "k***@e***.se"
    assert rules.mask_mobile("+46701234567") == "070-*** ** 67"
