"""What the flush after each transactional (browser, live-server) test costs, before and after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/flush_cost.py

Migrates the database, then times, ``--rounds`` times each (default 5):

- **before**: what the suite did until December 2026: Django's flush of every table (audit guard
  lifted), post_migrate, and the reload of all reference data (~29,000 rows) in autocommit;
- **after**: ``tests/support/flush.py``: the reference tables are fingerprinted and left alone
  when untouched, everything else is emptied in one statement.

Prints the median of each. Run it on a scratch database: it empties every table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection
    from tests.support import flush
    from tests.support.reference import reload_reference_data

    print(f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
    call_command("migrate", interactive=False, verbosity=0)

    def before() -> None:
        flush.flush_database(connection, keep_reference=False)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        reload_reference_data()

    def after() -> None:
        flush.flush_after_test(connection)

    before()  # the reference data as the migrations leave it, whatever was there
    flush.remember_reference_data(connection)
    for name, step in (("before", before), ("after", after)):
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            step()
            times.append(time.perf_counter() - t)
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {args.rounds}")


if __name__ == "__main__":
    main()
