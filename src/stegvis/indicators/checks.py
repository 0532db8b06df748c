"""System check: the deployment refuses to start with a suppression threshold below 3."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

MIN_THRESHOLD = 3


@register()
def suppression_threshold(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    value = getattr(settings, "STEGVIS_SUPPRESSION_THRESHOLD", None)
    if isinstance(value, int) and not isinstance(value, bool) and value >= MIN_THRESHOLD:
        return []
    return [
        Error(
            f"STEGVIS_SUPPRESSION_THRESHOLD måste vara ett heltal, minst {MIN_THRESHOLD} "
            f"(är {value!r}).",
            hint="En lägre gräns skyddar inte enskilda personer i rapporterna. Sätt "
            "STEGVIS_SUPPRESSION_THRESHOLD till 3 eller mer (standard 5).",
            id="stegvis.indicators.E001",
        )
    ]
