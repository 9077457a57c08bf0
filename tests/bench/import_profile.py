"""Where the Harvest import's memory goes: RSS after every chunk, and with
--tracemalloc snapshots at 0, 20,000 and 40,000 rows (--snapshots) compared
by traceback.

    python3 tests/bench/import_profile.py --config .local/odoo.conf \
        --database agency_bench_addons --lines 40000 [--tracemalloc]

The same data as worker.py's ``import_harvest`` (a Harvest file of the bench
rows, its dry run first); the import is measured, then rolled back.
"""

import argparse
import itertools
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

import odoo
from odoo import SUPERUSER_ID, api

from tests.bench import worker


def rss_mb():
    """The process's resident memory now (not its peak)."""
    return worker._proc_status_mb("VmRSS") or 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--lines", type=int, default=40000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument(
        "--snapshots",
        default="0,20000,40000",
        help="rows created at which tracemalloc takes a snapshot",
    )
    args = parser.parse_args()
    args.employees, args.days = 50, 90
    snapshot_at = {int(rows) for rows in args.snapshots.split(",")}
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    engine = sys.modules["odoo.addons.agency_timesheet.import_engine"]
    snapshots = {}
    created = [0]
    start = [0.0]
    original = engine._create_chunk

    def chunk(batch, creator, rows, *more):
        if args.tracemalloc and created[0] in snapshot_at:
            snapshots[created[0]] = tracemalloc.take_snapshot()
        made = original(batch, creator, rows, *more)
        created[0] += made
        print(
            f"rows {created[0]:>7}  rss {rss_mb():7.1f} MB  "
            f"{time.perf_counter() - start[0]:7.1f} s",
            flush=True,
        )
        return made

    engine._create_chunk = chunk
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        batch = worker._harvest_batch(env, args)
        batch.action_dry_run()
        env.flush_all()
        env.invalidate_all()
        print(f"before import: rss {rss_mb():.1f} MB", flush=True)
        if args.tracemalloc:
            tracemalloc.start(args.frames)
        start[0] = time.perf_counter()
        queries = env.cr.sql_log_count
        batch.action_import()
        env.flush_all()
        print(
            f"import: {time.perf_counter() - start[0]:.1f} s, "
            f"{env.cr.sql_log_count - queries} queries, created "
            f"{batch.created_count}, rss {rss_mb():.1f} MB",
            flush=True,
        )
        if args.tracemalloc and len(snapshots) > 1:
            marks = sorted(snapshots)
            for before, after in itertools.pairwise(marks):
                print(f"\n== growth {before} -> {after} rows (top 20 by traceback)")
                stats = snapshots[after].compare_to(snapshots[before], "traceback")
                for stat in stats[:20]:
                    print(f"{stat.size_diff / 2**20:+8.1f} MB {stat.count_diff:+8d}")
                    for line in stat.traceback.format()[-2 * args.frames :]:
                        print("    " + line)
        cr.rollback()


if __name__ == "__main__":
    main()
