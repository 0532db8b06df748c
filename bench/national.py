"""Build a national-scale database and measure registration speed (issue 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench .venv/bin/python bench/national.py

Builds (or tops up) 80 förbund over every kommun, 1 000 insatser and 300 000 participations
with start, end and follow-up measurements through the demo generator at national scale, and
prints how long generation took and rows per second. Then registers participants one at a time
through the service layer (``participation_start``) and prints the median and 95th percentile.
Options: ``--participations N`` (default 300000), ``--associations``, ``--interventions``,
``--registrations N`` (default 200).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--associations", type=int, default=80)
    parser.add_argument("--interventions", type=int, default=1000)
    parser.add_argument("--participations", type=int, default=300_000)
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed of the generated people (default: derived from the "
                             "number of participations already stored, so a top-up run adds "
                             "new people instead of regenerating the first run's)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # bench/national_build.py: bench/ is on sys.path as the script's directory.
    from national_build import NationalScale, build_national
    from stegvis.demo import generator, synthetic
    from stegvis.participants.models import Measurement, Participation

    print(f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
    call_command("migrate", interactive=False, verbosity=0)
    existing = Participation.objects.count()
    seed = args.seed if args.seed is not None else 80 + existing
    print(f"seed {seed} ({existing:,} participations already stored)")
    scale = NationalScale(
        associations=args.associations,
        interventions=args.interventions,
        participations=args.participations,
        seed=seed,
    )
    t0 = time.perf_counter()
    result = build_national(scale, progress=lambda text: print("  " + text, flush=True))
    elapsed = time.perf_counter() - t0
    print(
        f"generation: {result.associations} förbund, {result.interventions} insatser, "
        f"{result.participations} deltaganden in {elapsed:.1f} s"
    )
    if result.rows:
        print(f"generation rate: {result.rows / elapsed:,.0f} rows/s "
              f"({result.rows:,} participation, consent and measurement rows written)")
    print(f"database now holds {Participation.objects.count():,} participations and "
          f"{Measurement.objects.count():,} measurements")

    # Registration through the service layer, one at a time, at this size.
    from stegvis.access.models import InterventionAssignment

    rng = random.Random()  # fresh people on every run: earlier runs registered theirs
    today = dt.date.today()
    # The insatser with their assigned deltagaransvarig as stored: a top-up run with more
    # insatser splits them differently over the förbund, so this run's map does not cover
    # every earlier insats (that was the officer None -> PermissionDenied crash).
    assigned = list(
        InterventionAssignment.objects.filter(user__username__startswith="bench")
        .select_related("intervention__association", "user").order_by("intervention_id")[:50]
    )
    timings = []
    for i in range(args.registrations):
        assignment = assigned[i % len(assigned)]
        intervention, officer = assignment.intervention, assignment.user
        # Started within the last month: still open, so only participation_start runs.
        plan = synthetic.participant(rng, earliest=today - dt.timedelta(days=30),
                                     latest=today - dt.timedelta(days=1), today=today)
        residence = intervention.association.area.first().municipality_id
        t = time.perf_counter()
        generator.register(officer, intervention, plan, residence)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(
        f"participation_start via service: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms over {len(timings)} registrations "
        f"(goal: median < 20 ms on PostgreSQL)"
    )


if __name__ == "__main__":
    sys.exit(main())
