"""The benchmark table: each operation in stock Odoo and with the add-ons, side
by side, on the same data, in one run (`make bench`).

    python3 tests/bench/run.py --config .local/odoo.conf \
        --stock-db agency_bench_stock --addons-db agency_bench_addons

Each measurement is a fresh worker process (tests/bench/worker.py). The table
gives seconds (or milliseconds), SQL queries, the add-ons / stock ratio, and the
target the issue set. Results are also written as JSON under .local/bench/.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VOLUME = 1_000_000

# (label, stock operation or None, add-ons operation, lines, target)
# target: ("ratio", x) add-ons / stock at most x; ("ms", x) add-ons at most x ms.
BENCHMARKS = [
    ("timesheet create, one batch", "create_lines", "create_lines", 10_000,
     ("ratio", 1.15)),
    ("timesheet create, one batch", "create_lines", "create_lines", 50_000,
     ("ratio", 1.15)),
    ("approve entries in one action", "write_lines", "approve_lines", 10_000,
     ("ms", 3000)),
    # stock: read() of the lines' stock fields; add-ons: price them (rate cards)
    ("rates: resolve vs stock read", "read_lines", "resolve_rates", 10_000,
     ("ms", 2000)),
    ("rates: resolve vs stock read", "read_lines", "resolve_rates", 100_000,
     ("ms", 2000)),
    # with VOLUME lines already in the table (filled once, committed)
    ("one entry by hand, 1M lines", "entry_create_one", "entry_create_one", VOLUME,
     ("ratio", 1.15)),
    ("timer start, 1M lines", None, "timer_start", VOLUME, ("ms", 50)),
    ("timer stop (+ its entry), 1M lines", "entry_create_one", "timer_stop", VOLUME,
     ("ms", 50)),
    # stock: sale_timesheet invoices 50 sale orders; add-ons: a billing run of
    # 50 engagements (collect, check, review, invoice); lines = entries
    ("billing run: collect+check+invoice", "stock_invoice_timesheets",
     "billing_run", 10_000, ("ratio", 3.0)),
    ("billing run: collect+check+invoice", "stock_invoice_timesheets",
     "billing_run", 100_000, ("ratio", 3.0)),
    # migration: the same rows, stock base_import pre-mapped as
    # account.analytic.line beside a Harvest file through an import batch
    ("migration: Harvest dry run", "base_import_lines", "import_harvest_dry",
     10_000, ("ratio", 0.3)),
    ("migration: Harvest import", "base_import_lines", "import_harvest", 10_000,
     ("ratio", 1.0)),
    ("migration: Harvest dry run", "base_import_lines", "import_harvest_dry",
     100_000, ("ratio", 0.3)),
    ("migration: Harvest import", "base_import_lines", "import_harvest", 100_000,
     ("ratio", 1.0)),
    # add-ons only: lines = retainers, each with 24 monthly periods of time
    ("retainer ledgers, 24 periods each", None, "retainer_ledgers", 200,
     ("ms", 1000)),
    # stock: one project's profitability panel; add-ons: margin by client x
    # role x month over every fact (entries, invoices, write-downs, 200
    # projects), at most 1 s and 3x the raw SQL aggregate of the same figures
    ("margin: client x role x month", "stock_panel_data", "margin_report",
     10_000, ("floor", 3.0, 1000)),
    ("margin: client x role x month", "stock_panel_data", "margin_report",
     VOLUME, ("floor", 3.0, 1000)),
    # both in the add-ons database: approve, then read the margins, vs approve
    ("approve + its margins vs approve", "approve_lines@addons",
     "approve_margin", 10_000, ("ratio", 1.15)),
]  # fmt: skip


# Operations that build their own big table (not the shared background fill).
BUILDS_ITS_DATA = {"margin_report"}


def measure(config, database, operation, lines):
    cmd = [
        sys.executable,
        os.path.join(HERE, "worker.py"),
        "--config",
        config,
        "--database",
        database,
        "--operation",
        operation,
        "--lines",
        str(lines),
    ]
    result = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if result.returncode:
        sys.exit(
            f"{operation} x {lines} failed in {database}:\n{result.stderr[-3000:]}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--stock-db", required=True)
    parser.add_argument("--addons-db", required=True)
    parser.add_argument(
        "--max-lines",
        type=int,
        default=int(os.environ.get("BENCH_MAX_LINES", "0")) or None,
        help="skip sizes above this (quick runs)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("BENCH_REPEAT", "5")),
        help="alternating runs of each small measurement; the best one counts",
    )
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="comma-separated worker operations (add-ons side) to run",
    )
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    rows = []
    filled = False
    for label, stock_op, addons_op, lines, target in BENCHMARKS:
        if only and addons_op not in only:
            continue
        if args.max_lines and lines > args.max_lines:
            continue
        own_data = addons_op in BUILDS_ITS_DATA
        if lines == VOLUME and not filled and not own_data:
            print(f"  filling both databases with {VOLUME:,} lines", flush=True)
            for database in (args.stock_db, args.addons_db):
                measure(args.config, database, "fill", VOLUME)
            filled = True
        # Best of a few alternating runs, except for the big batches, which
        # take minutes and vary less.
        repeat = 1 if lines > 10_000 and (lines != VOLUME or own_data) else args.repeat
        stock_runs, addons_runs = [], []
        for _i in range(repeat):
            if stock_op:
                # "op@addons": the baseline runs in the add-ons database
                op, _at, side = stock_op.partition("@")
                database = args.addons_db if side == "addons" else args.stock_db
                stock_runs.append(measure(args.config, database, op, lines))
            addons_runs.append(measure(args.config, args.addons_db, addons_op, lines))
        stock = best(stock_runs) if stock_runs else None
        addons = best(addons_runs)
        ratio = addons["seconds"] / stock["seconds"] if stock else None
        if target[0] == "ratio":
            ok = ratio is not None and ratio <= target[1]
        elif target[0] == "floor":
            floor = addons.get("floor_ratio")
            ok = floor is not None and floor <= target[1]
            ok = ok and addons["seconds"] * 1000 <= target[2]
        else:
            ok = addons["seconds"] * 1000 <= target[1]
        rows.append(
            {
                "label": label,
                "lines": lines,
                "stock": stock,
                "addons": addons,
                "ratio": round(ratio, 3) if ratio else None,
                "target": target,
                "ok": ok,
            }
        )
        print(f"  measured {label} ({lines:,} lines)", flush=True)

    print_table(rows)
    out_dir = os.path.join(HERE, "..", "..", ".local", "bench")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, time.strftime("bench-%Y%m%d-%H%M%S.json"))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
    print(f"\n(results saved in {os.path.relpath(path)})")


def fmt_time(result):
    if result is None:
        return "-"
    seconds = result["seconds"]
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(rows):
    header = (
        f"{'operation':<36} {'lines':>10} {'stock':>10} {'add-ons':>10} "
        f"{'ratio':>6} {'target':>9} {'queries':>13} {'peak MB':>8}  verdict"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        kind, value, *more = row["target"]
        if kind == "floor":
            target = f"≤{value:g}x floor, ≤{more[0]:g} ms"
        else:
            target = f"≤{value:.2f}x" if kind == "ratio" else f"≤{value:g} ms"
        ratio = f"{row['ratio']:.2f}" if row["ratio"] else "-"
        stock_q = row["stock"]["queries"] if row["stock"] else "-"
        queries = f"{stock_q}/{row['addons']['queries']}"
        print(
            f"{row['label']:<36} {row['lines']:>10,} {fmt_time(row['stock']):>10} "
            f"{fmt_time(row['addons']):>10} {ratio:>6} {target:>9} {queries:>13} "
            f"{row['addons']['peak_mb']:>8}  {'ok' if row['ok'] else 'OVER'}"
        )
    print("\nqueries: stock/add-ons, per operation (per call for the 1M-line rows)")
    for row in rows:
        if "floor_seconds" in row["addons"]:
            result = row["addons"]
            print(
                f"{row['label']} ({row['lines']:,} entries): read_group "
                f"{fmt_time(result)} (_read_group, no labels: "
                f"{fmt_time({'seconds': result['orm_seconds']})}), raw SQL floor "
                f"{fmt_time({'seconds': result['floor_seconds']})} "
                f"({result['floor_ratio']}x), {result['groups']} groups"
            )
        if "week_floor_seconds" in row["addons"]:
            result = row["addons"]
            print(
                f"  weekly facts: raw SQL on agency_margin_week "
                f"{fmt_time({'seconds': result['week_floor_seconds']})} "
                f"({result['week_floor_ratio']}x); the margin view's pivot "
                f"(before) {fmt_time({'seconds': result['view_seconds']})}; "
                f"full rebuild {fmt_time({'seconds': result['rebuild_seconds']})}"
            )
        if "approve_seconds" in row["addons"]:
            print(
                f"{row['label']}: approve alone "
                f"{fmt_time({'seconds': row['addons']['approve_seconds']})}"
            )
    for row in rows:
        if "invoices" not in row["addons"]:
            continue
        sides = [("stock", row["stock"]), ("add-ons", row["addons"])]
        print(
            f"{row['label']} ({row['lines']:,} entries): "
            + "; ".join(
                f"{name} {result['invoices']} invoices, "
                f"{result['queries_per_invoice']:g} queries per invoice, "
                f"{result['per_entry_ms']:g} ms per entry"
                for name, result in sides
                if result
            )
        )


if __name__ == "__main__":
    main()
