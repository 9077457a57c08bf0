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
    # issue 19: the same run with rounding per person-day (15-min minimum), a
    # weekend multiplier and a discount, vs per-entry rounding only
    ("billing run, person-day + multiplier + discount", "billing_run@addons",
     "billing_run_rules", 10_000, ("ratio", 1.2)),
    ("billing run, person-day + multiplier + discount", "billing_run@addons",
     "billing_run_rules", 100_000, ("ratio", 1.2)),
    # the same with a holiday multiplier that finds no day off: the rules'
    # cost without the weekend's own invoice lines (each line costs stock
    # account queries)
    ("billing run, person-day + holiday rule + discount", "billing_run@addons",
     "billing_run_rules_holiday", 10_000, ("ratio", 1.2)),
    ("billing run, person-day + holiday rule + discount", "billing_run@addons",
     "billing_run_rules_holiday", 100_000, ("ratio", 1.2)),
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
     100_000, ("floor", 3.0, 1000)),
    ("margin: client x role x month", "stock_panel_data", "margin_report",
     VOLUME, ("floor", 3.0, 1000)),
    # both in the add-ons database, the same entries, rate and engagement:
    # approve, then read the margins, vs approve alone
    ("approve + its margins vs approve", "approve_priced@addons",
     "approve_margin", 10_000, ("ratio", 1.15)),
    # issue 17: the audit trail's cost, the same operation with the audit
    # writer on and off (off: worker.py's _without_audit, this bench only)
    ("audit on vs off: approve", "approve_lines_unaudited@addons",
     "approve_lines_audited", 10_000, ("ratio", 1.05)),
    ("audit on vs off: billing run", "billing_run_unaudited@addons",
     "billing_run_audited", 100_000, ("ratio", 1.05)),
    # every early warning of 200 projects and their people (one nightly batch)
    ("warnings: 200 projects", None, "warnings_200", 10_000, ("ms", 2000)),
    ("warnings: 200 projects", None, "warnings_200", VOLUME, ("ms", 2000)),
    # add-ons only: lines = engagements (25 bookings and 10 open invoices
    # each: 200 give 5,000 bookings and 2,000 invoices), 12 months ahead; the
    # query count is the same at 20 and at 200
    ("forecast: base scenario", None, "forecast_base", 20, ("ms", 1000)),
    ("forecast: base scenario", None, "forecast_base", 200, ("ms", 1000)),
    ("forecast: three scenarios", None, "forecast_scenarios", 200, ("ms", 1500)),
    # lines = people, each with a year of approved entries (one a working
    # day); the Python peak at twice the entries stays flat (flat_memory)
    ("board pack XLSX, 150-person year", None, "board_pack", 150, ("ms", 5000)),
    # capacity: lines = people, over 182 days, beside stock resource's
    # _work_intervals_batch for the same people and days
    ("capacity: people x 182 days", "capacity_stock", "capacity", 150,
     ("ms", 300)),
    # the heatmap's grid: 150 people x 26 weeks, 5,000 bookings, their logged
    # time, in the 1M-entry table; the same query count for a third of the
    # people and of the weeks
    ("heatmap: 150 people x 26 weeks", None, "heatmap", VOLUME, ("ms", 500)),
    # issue 18 (tests/bench/activity_bench.py): lines = events, each its own
    # POST from 20 concurrent clients against a server bench starts on a free
    # port (2 workers, 1 cron worker); time = the p95 latency; stock = the
    # same burst against /web/webclient/version_info of that server (the
    # floor); every event stored once and its suggestion made
    ("webhook burst, 20 clients (p95)", None, "webhook_burst", 2000,
     ("ms", 150)),
    # lines = feeds of 200 events each, served on loopback, one refresh
    ("feed refresh: feeds x 200 events", None, "feed_refresh", 150,
     ("ms", 30000)),
]  # fmt: skip

# Rows measured by tests/bench/activity_bench.py (a server of its own, or
# an HTTP feed server): operation → its --only; run once (they take long).
ACTIVITY_ROWS = {"webhook_burst": "webhook", "feed_refresh": "feed"}

# The migration rows also trace the action's Python allocations
# (tracemalloc), in a run of each side of their own (tracing slows it down).
TRACED = {"import_harvest_dry", "import_harvest"}
# issue 16: the import's and the dry run's own peak RSS growth at most this
MEMORY_TARGET_MB = 300


# Big batches that still alternate a few runs (a ratio of a few per cent
# needs more than one run of each side on a shared machine).
ALTERNATED = {"billing_run_audited": 3}


# Operations that build their own big table (not the shared background fill).
BUILDS_ITS_DATA = {
    "margin_report",
    "warnings_200",
    "forecast_base",
    "forecast_scenarios",
    "board_pack",
}


def measure_activity(config, database, operation, lines):
    """A row of activity_bench.py in the table's terms: seconds (the p95 of
    the burst, or the refresh), queries (per delivery, per feed), the floor
    (the same burst against stock version_info) as the stock side."""
    size = "--events" if operation == "webhook_burst" else "--feeds"
    cmd = [
        sys.executable,
        os.path.join(HERE, "activity_bench.py"),
        "--config",
        config,
        "--database",
        database,
        "--only",
        ACTIVITY_ROWS[operation],
        size,
        str(lines),
    ]
    result = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if result.returncode:
        sys.exit(
            f"{operation} x {lines} failed in {database}:\n{result.stderr[-3000:]}"
        )
    row = json.loads(result.stdout.strip().splitlines()[-1])
    peak_mb = "-"
    if operation == "feed_refresh":
        return {
            **row,
            "operation": operation,
            "seconds": row["seconds"],
            "queries": row["queries_per_feed"],
            "peak_mb": peak_mb,
            "checks_ok": row["ok"],
        }, None
    hook, floor = row["webhook"], row["floor_version_info"]
    return {
        **row,
        "operation": operation,
        "seconds": hook["p95_ms"] / 1000,
        "queries": row["queries_per_delivery"],
        "peak_mb": peak_mb,
        "checks_ok": row["ok"],
    }, {**floor, "seconds": floor["p95_ms"] / 1000, "queries": "-"}


def measure(config, database, operation, lines, traced=False):
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
    if traced:
        cmd.append("--tracemalloc")
    result = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if result.returncode:
        sys.exit(
            f"{operation} x {lines} failed in {database}:\n{result.stderr[-3000:]}"
        )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    # the machine's 1-minute load when it ended (shared machines: beside
    # every timing)
    measured["load"] = round(os.getloadavg()[0], 1)
    return measured


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def verdict(target, ratio, addons):
    """Whether a row meets its target (and its own checks)."""
    if target[0] == "ratio":
        ok = ratio is not None and ratio <= target[1]
    elif target[0] == "floor":
        floor = addons.get("floor_ratio")
        ok = floor is not None and floor <= target[1]
        ok = ok and addons["seconds"] * 1000 <= target[2]
    else:
        ok = addons["seconds"] * 1000 <= target[1]
    if "same_queries" in addons:
        ok = ok and addons["same_queries"]
    if "checks_ok" in addons:  # stored once, none lost (activity rows)
        ok = ok and addons["checks_ok"]
    if "flat_memory" in addons:  # peak at twice the entries (board pack)
        ok = ok and addons["flat_memory"]
    if "memory_ok" in addons:  # the migration rows' own peak RSS growth
        ok = ok and addons["memory_ok"]
    return ok


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
    once = {}  # the big stock rows shared by two add-ons rows: one run

    def measured(database, op, lines, traced=False, single=False):
        if not single:
            return measure(args.config, database, op, lines, traced)
        key = (database, op, lines, traced)
        if key not in once:
            once[key] = measure(args.config, database, op, lines, traced)
        return once[key]

    def measure_row(stock_op, addons_op, lines, repeat):
        """(stock, add-ons) results: the best of `repeat` alternating runs."""
        stock_runs, addons_runs = [], []
        op, _at, side = (stock_op or "").partition("@")
        # "op@addons": the baseline runs in the add-ons database
        database = args.addons_db if side == "addons" else args.stock_db
        for _i in range(repeat):
            if stock_op:
                stock_runs.append(measured(database, op, lines, single=repeat == 1))
            addons_runs.append(measure(args.config, args.addons_db, addons_op, lines))
        stock = best(stock_runs) if stock_runs else None
        addons = best(addons_runs)
        if addons_op in TRACED:
            traced = measured(database, op, lines, traced=True, single=True)
            stock = {**stock, "traced_peak_mb": traced["traced_peak_mb"]}
            traced = measure(args.config, args.addons_db, addons_op, lines, True)
            addons = {**addons, "traced_peak_mb": traced["traced_peak_mb"]}
            addons["memory_ok"] = addons["rss_growth_mb"] <= MEMORY_TARGET_MB
        return stock, addons

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
        repeat = min(args.repeat, ALTERNATED.get(addons_op, repeat))
        if addons_op in ACTIVITY_ROWS:
            addons, stock = measure_activity(
                args.config, args.addons_db, addons_op, lines
            )
        else:
            stock, addons = measure_row(stock_op, addons_op, lines, repeat)
        ratio = addons["seconds"] / stock["seconds"] if stock else None
        ok = verdict(target, ratio, addons)
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
        f"{'ratio':>6} {'target':>9} {'queries':>13} {'peak MB':>8} "
        f"{'load':>5}  verdict"
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
            f"{row['addons']['peak_mb']:>8} {row['addons'].get('load', '-'):>5}  "
            f"{'ok' if row['ok'] else 'OVER'}"
        )
    print("\nqueries: stock/add-ons, per operation (per call for the 1M-line rows)")
    print_notes(rows)
    print_memory_notes(rows)
    print_activity_notes(rows)


def print_notes(rows):
    """The margin, audit and approve rows' own figures."""
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
                f"  weekly facts ({result['week_rows']:,} rows): raw SQL on "
                f"agency_margin_week "
                f"{fmt_time({'seconds': result['week_floor_seconds']})} "
                f"({result['week_floor_ratio']}x); the margin view's pivot "
                f"(before) {fmt_time({'seconds': result['view_seconds']})}; "
                f"full rebuild {fmt_time({'seconds': result['rebuild_seconds']})}"
            )
        if "audit_rows" in row["addons"] and row["stock"]:
            on, off = row["addons"], row["stock"]
            print(
                f"{row['label']} ({row['lines']:,} entries): audit on "
                f"{fmt_time(on)} ({on['queries']} queries, {on['audit_rows']:,} "
                f"audit rows in the worker run), off {fmt_time(off)} "
                f"({off['queries']} queries), {row['ratio']}x"
            )
        if "approve_seconds" in row["addons"]:
            result = row["addons"]
            print(
                f"{row['label']}: the approve with its upkeep (marking the "
                f"keys) {fmt_time({'seconds': result['approve_seconds']})} "
                f"({result['approve_queries']} queries), then the margins' read "
                f"(recomputing the dirty keys) "
                f"{fmt_time({'seconds': result['margin_seconds']})}"
                f" ({result['margin_queries']} queries)"
            )


def print_memory_notes(rows):
    """Memory, heatmap and capacity rows' own figures."""
    for row in rows:
        result, stock = row["addons"], row["stock"]
        if "traced_peak_mb" in result:
            print(
                f"{row['label']} ({row['lines']:,} rows): Python allocations' peak "
                f"(tracemalloc) stock {stock['traced_peak_mb']} MB, add-ons "
                f"{result['traced_peak_mb']} MB; peak RSS growth stock "
                f"{stock['rss_growth_mb']} MB, add-ons {result['rss_growth_mb']} MB "
                f"(target <= {MEMORY_TARGET_MB} MB; peak RSS stock "
                f"{stock.get('rss_peak_mb', '-')} MB, add-ons "
                f"{result.get('rss_peak_mb', '-')} MB)"
            )
        if "flat_memory" in result:
            print(
                f"{row['label']}: {result['entries']:,} entries, Python peak "
                f"(tracemalloc) {result['pack_peak_mb']} MB; twice the entries "
                f"({result['entries_2x']:,}) {result['pack_peak_mb_2x']} MB "
                f"({'flat' if result['flat_memory'] else 'NOT flat'}), "
                f"{result['queries']}/{result['queries_2x']} queries; warm "
                f"build {fmt_time({'seconds': result['warm_seconds']})}"
            )
        if "small_grid_queries" in result:
            print(
                f"{row['label']}: {result['queries']} queries, "
                f"{result['small_grid_queries']} for a third of the people and "
                f"weeks; {result['logged_entries']:,} entries logged in the "
                f"window, {result['bookings']:,} bookings, {result['entries']:,} "
                f"entries in the table"
            )
        if row["label"].startswith("capacity") and stock:
            print(
                f"{row['label']}: {result['people']} people x {result['days']} "
                f"days; stock _work_intervals_batch {fmt_time(stock)} "
                f"({stock['queries']} queries), add-ons {fmt_time(result)} "
                f"({result['queries']} queries)"
            )


def print_activity_notes(rows):
    """The webhook, feed and billing-run rows' own figures."""
    for row in rows:
        result = row["addons"]
        if result.get("operation") == "webhook_burst":
            hook, floor = result["webhook"], result["floor_version_info"]
            print(
                f"{row['label']}: {result['events']:,} events from "
                f"{result['clients']} clients, {result['stored']:,} stored "
                f"(each once: {result['stored_once']}), {hook['errors']} errors; "
                f"webhook p50 {hook['p50_ms']} ms / p95 {hook['p95_ms']} ms, "
                f"floor version_info p50 {floor['p50_ms']} ms / p95 "
                f"{floor['p95_ms']} ms; {result['suggestions']:,} suggestions, "
                f"the last {result['suggestions_done_after_s']} s after the "
                f"burst; {result['queries_per_delivery']} add-on queries per "
                f"delivery; load {result['load_before']} → {result['load_after']}"
            )
        if result.get("operation") == "feed_refresh":
            print(
                f"{row['label']}: {result['feeds']} feeds x "
                f"{result['events_per_feed']} events, {result['ok_feeds']} ok, "
                f"{result['suggestions']:,} suggestions in {result['seconds']} s "
                f"({result['queries_per_feed']} queries per feed); unchanged "
                f"(304) {result['unchanged_304_seconds']} s; load "
                f"{result['load_before']}"
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
