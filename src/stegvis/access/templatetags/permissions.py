"""``{% has_perm 'stegvis.<permission>' user object as name %}``: the rules of access/rules.py.

Like django-rules' own tag, but asking the rules directly: ``user.has_perm`` would answer yes to
everything for a Django superuser, who has no access in Stegvis (ADR 0001 (a)).
"""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.access import rules

register = template.Library()


@register.simple_tag
def has_perm(perm: str, user: Any, obj: Any = None) -> bool:
    return rules.has_perm(user, perm, obj)
