"""The ``stegvis`` console command: Django's management commands plus ``stegvis demo``."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings: the environment is checked)
    except ImproperlyConfigured as exc:
        sys.exit(f"Stegvis cannot start: {exc}")
    execute_from_command_line(["stegvis", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
