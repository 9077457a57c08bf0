"""The benchmark table: each operation in stock Odoo and with the add-ons, side
by side, on the same data, in one run (`make bench`).

    python3 tests/bench/run.py --config .local/odoo.conf \
        --stock-db agency_bench_stock --addons-db agency_bench_addons

Each measurement is a fresh worker process (tests/bench/worker.py). The table
gives seconds, SQL queries and the add-ons / stock ratio, and the target the
issue set for it. Results are also written as JSON under .local/bench/.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# label, worker operation, sizes (lines), target: a ratio (add-ons / stock), or
# ("s", seconds) for an absolute limit on the add-ons side, or None.
BENCHMARKS = [
    ("timesheet create, one batch", "create_lines", (10_000, 50_000), 1.15),
    # Stock: read() of the lines' stock fields; add-ons: price the same lines
    # against the rate cards (agency_billing).
    ("rates: resolve vs stock read", "resolve_rates", (10_000, 100_000), ("s", 2.0)),
]


def verdict(row):
    """(target text, ' ok' / ' OVER' / '') for a row of the table."""
    target = row["target"]
    if not target:
        return "-", ""
    if isinstance(target, (list, tuple)):
        limit = target[1]
        ok = row["addons"]["seconds"] <= limit
        return f"≤{limit:.1f}s", " ok" if ok else " OVER"
    return f"≤{target:.2f}", " ok" if row["ratio"] <= target else " OVER"


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
        default=int(os.environ.get("BENCH_REPEAT", "3")),
        help="alternating runs of each small measurement; the best one counts",
    )
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="comma-separated worker operations to run (default: all)",
    )
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    rows = []
    for label, operation, sizes, target in BENCHMARKS:
        if only and operation not in only:
            continue
        for lines in sizes:
            if args.max_lines and lines > args.max_lines:
                continue
            # Best of a few alternating runs for the small sizes: one run each
            # for the large ones, which take minutes and vary less.
            repeat = args.repeat if lines <= 10_000 else 1
            runs = [
                (
                    measure(args.config, args.stock_db, operation, lines),
                    measure(args.config, args.addons_db, operation, lines),
                )
                for _i in range(repeat)
            ]
            stock = min((run[0] for run in runs), key=lambda r: r["seconds"])
            addons = min((run[1] for run in runs), key=lambda r: r["seconds"])
            ratio = addons["seconds"] / stock["seconds"] if stock["seconds"] else 0
            rows.append(
                {
                    "label": label,
                    "lines": lines,
                    "stock": stock,
                    "addons": addons,
                    "ratio": round(ratio, 3),
                    "target": target,
                }
            )
            print(f"  measured {label} x {lines}: ratio {ratio:.2f}", flush=True)

    header = (
        f"{'operation':<30} {'lines':>8} {'stock s':>9} {'add-ons s':>10} "
        f"{'ratio':>6} {'target':>7} {'queries stock':>14} {'add-ons':>8} "
        f"{'peak MB':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        target, ok = verdict(row)
        print(
            f"{row['label']:<30} {row['lines']:>8} {row['stock']['seconds']:>9.2f} "
            f"{row['addons']['seconds']:>10.2f} {row['ratio']:>6.2f} {target:>7} "
            f"{row['stock']['queries']:>14} {row['addons']['queries']:>8} "
            f"{row['addons']['peak_mb']:>8}{ok}"
        )
    out_dir = os.path.join(HERE, "..", "..", ".local", "bench")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, time.strftime("bench-%Y%m%d-%H%M%S.json"))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
    print(f"\n(results saved in {os.path.relpath(path)})")


if __name__ == "__main__":
    main()
