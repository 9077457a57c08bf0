"""Benchmark rows of issue 18 (calendar feeds, activity webhooks), loopback only.

    python3 tests/bench/activity_bench.py --config .local/odoo.conf --database DB \
        [--events 2000] [--clients 20] [--feeds 150] [--feed-events 200]

Prints one JSON line per row:

- ``webhook_burst``: EVENTS generic events from CLIENTS concurrent clients on
  127.0.0.1 against an Odoo server started here on a free port
  (``--workers 2`` and one cron worker, which makes the suggestions the
  deliveries trigger), each event a separate POST; every event must be
  stored once (none lost, none twice), every suggestion made within
  seconds of the burst, and p95 ≤ 150 ms. Beside it the same burst against
  stock ``/web/webclient/version_info`` of the same server (the floor), and
  the machine's load average.
- ``feed_refresh``: FEEDS calendar feeds of FEED_EVENTS events each, served
  by a local http.server, refreshed by agency.calendar.feed (≤ 30 s).

The data it needs (a person with a token, the feeds' people) is committed for
the server to see and deleted at the end. ``make bench`` runs both rows
through tests/bench/run.py (``BENCH_ONLY=webhook_burst,feed_refresh``).
"""

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import odoo
from odoo import SUPERUSER_ID, api

TOKEN = "bench-token-" + "x" * 20
KEY_ENV = "AGENCY_ENCRYPTION_KEY"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def person(env, login, **vals):
    user = env["res.users"].search([("login", "=", login)])
    if user:  # left by an earlier run
        user.write({"agency_suggestions_enabled": True, **vals})
        return user
    user = env["res.users"].create(
        {
            "name": login,
            "login": login,
            "email": f"{login}@bench.example.com",
            "tz": "UTC",
            "groups_id": [
                (4, env.ref("base.group_user").id),
                (4, env.ref("agency_timesheet.group_agency_user").id),
            ],
            "agency_suggestions_enabled": True,
            **vals,
        }
    )
    role = env["agency.role"].search([], limit=1) or env["agency.role"].create(
        {"name": "Bench", "code": "BENCH"}
    )
    env["hr.employee"].create({"name": login, "user_id": user.id, "role_id": role.id})
    return user


def burst(url, bodies, clients, headers):
    def post(body):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
        return (time.perf_counter() - start) * 1000, status

    start, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(post, bodies))
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    latencies = [ms for ms, _status in results]
    return {
        "requests": len(results),
        "errors": sum(1 for _ms, status in results if status >= 400),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "wall_s": round(wall, 2),
        # the clients' own CPU (all their threads): what they take from the
        # server's two cores (a share of one core)
        "client_cpu_s": round(cpu, 2),
        "client_core_share": round(cpu / wall, 2) if wall else None,
    }


def server_command(args, port):
    """The bench server: odoo-bin beside the odoo package when there is one
    (``python -m odoo`` makes the prefork server respawn its gevent child
    every second, which dies at once: ``odoo/__main__.py gevent`` cannot be
    run as a script), one HTTP worker per ``--workers``, one cron worker.
    With ``--db-filter`` the server lists the databases through a new
    PostgreSQL connection on every request without a session (every
    webhook delivery, every floor call); a server of one database (``-d``
    alone) does not."""
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    launch = [odoo_bin] if os.path.isfile(odoo_bin) else ["-m", "odoo"]
    dbfilter = [f"--db-filter=^{args.database}$"] if args.db_filter else []
    logfile = os.path.join(ROOT, ".local", "activity_bench_server.log")
    return [
        sys.executable,
        *launch,
        "-c",
        args.config,
        "-d",
        args.database,
        *dbfilter,
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--workers={args.workers}",
        "--max-cron-threads=1",
        "--log-level=warn",
        f"--logfile={logfile}",
        "--no-database-list",
    ]


def drain(registry, uid, timeout):
    """Wait until the cron worker made the suggestions of every event of the
    burst (no event of the person pending); False after `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM agency_activity_event WHERE user_id = %s "
                "AND pending",
                [uid],
            )
            if not cr.fetchone()[0]:
                return True
        time.sleep(0.2)
    return False


def delivery_queries(registry, uid):
    """The SQL queries the add-on sends for one delivery (what the endpoint
    calls, without Odoo's own request handling), rolled back."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        body = json.dumps(
            {
                "source": "bench",
                "id": "bench-queries",
                "title": "Queries",
                "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "duration": 2,
            }
        ).encode()
        Event = env["agency.activity.event"]
        headers = {"X-Agency-Token": TOKEN}
        Event._agency_receive("person", uid, "generic", body, headers)  # warm
        cr.rollback()
        env.invalidate_all()
        start = cr.sql_log_count
        status, _answer = Event._agency_receive("person", uid, "generic", body, headers)
        count = cr.sql_log_count - start
        cr.rollback()
        assert status == 202, status
        return count


def webhook_row(args, registry):
    load_before = [round(x, 2) for x in os.getloadavg()]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = person(env, "bench_hook", agency_activity_generic=True)
        env["agency.secret"]._agency_store(user, "integration_token", TOKEN)
        uid = user.id
        cr.commit()
    port = free_port()
    server = subprocess.Popen(
        server_command(args, port),
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        floor_url = f"{base}/web/webclient/version_info"
        json_headers = {"Content-Type": "application/json"}
        for _attempt in range(120):
            try:
                urllib.request.urlopen(
                    urllib.request.Request(
                        floor_url, data=b'{"params": {}}', headers=json_headers
                    ),
                    timeout=5,
                ).read()
                break
            except OSError:
                time.sleep(1)
        now = datetime.now(UTC).replace(tzinfo=None)
        bodies = [
            json.dumps(
                {
                    "source": "bench",
                    "id": f"bench-{n}",
                    "title": f"Bench event {n}",
                    "started_at": (now - timedelta(minutes=3 * n + 5)).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "duration": 2,
                }
            ).encode()
            for n in range(args.events)
        ]
        hook = burst(
            f"{base}/agency/activity/person/{uid}/generic",
            bodies,
            args.clients,
            {**json_headers, "X-Agency-Token": TOKEN},
        )
        burst_end = time.perf_counter()
        drained = drain(registry, uid, timeout=120)
        drain_s = round(time.perf_counter() - burst_end, 2) if drained else None
        floor = burst(
            floor_url, [b'{"params": {}}'] * args.events, args.clients, json_headers
        )
    finally:
        server.terminate()
        server.wait(30)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Event = env["agency.activity.event"]
        events = Event.search([("user_id", "=", uid)])
        stored = len(events)
        distinct = len(set(events.mapped("external_id")))
        suggestions = env["agency.suggestion"].search_count([("user_id", "=", uid)])
        events.unlink()
        env["agency.suggestion"].search([("user_id", "=", uid)]).unlink()
        cr.commit()
    return {
        "row": "webhook_burst",
        "events": args.events,
        "clients": args.clients,
        "server": {"workers": args.workers, "db_filter": args.db_filter},
        "stored": stored,
        "stored_once": stored == distinct == args.events,
        "suggestions": suggestions,
        "suggestions_done_after_s": drain_s,
        "queries_per_delivery": delivery_queries(registry, uid),
        "webhook": hook,
        "floor_version_info": floor,
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "target_p95_ms": 150,
        "ok": stored == distinct == args.events
        and not hook["errors"]
        and drain_s is not None
        and hook["p95_ms"] <= 150,
    }


def feed_row(args, registry):
    # The test's feed server, loaded by path (the tests package would import
    # odoo.tests, which a bench has no use for).
    spec = importlib.util.spec_from_file_location(
        "feed_server",
        os.path.join(ROOT, "agency_timesheet", "tests", "feed_server.py"),
    )
    feed_server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(feed_server)
    FeedServer = feed_server.FeedServer

    server = FeedServer().start()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = datetime.now(UTC).replace(tzinfo=None).date()
            for n in range(args.feeds):
                user = person(env, f"bench_feed_{n}")
                blocks = []
                for e in range(args.feed_events):
                    day = today - timedelta(days=e % 7)
                    start = datetime.combine(day, datetime.min.time()) + timedelta(
                        hours=6, minutes=(e // 7) * 30 % 900
                    )
                    blocks.append(
                        f"BEGIN:VEVENT\r\nUID:{n}-{e}@bench\r\nSUMMARY:Meeting {e}\r\n"
                        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDURATION:PT25M\r\n"
                        "END:VEVENT\r\n"
                    )
                server.feeds[f"/{n}.ics"] = {
                    "body": (
                        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                        + "".join(blocks)
                        + "END:VCALENDAR\r\n"
                    ).encode(),
                    "etag": f'"{n}"',
                }
                env["agency.secret"]._agency_store(
                    user, "calendar_feed", server.url(f"/{n}.ics")
                )
            Feed = env["agency.calendar.feed"]
            Feed._agency_sync()
            feeds = Feed.search([("user_id.login", "like", "bench_feed_%")])
            env.invalidate_all()
            load_before = [round(x, 2) for x in os.getloadavg()]
            queries = cr.sql_log_count
            start = time.perf_counter()
            results = feeds._agency_refresh()
            first = time.perf_counter() - start
            queries = cr.sql_log_count - queries
            start = time.perf_counter()
            again = feeds._agency_refresh()
            second = time.perf_counter() - start
            made = env["agency.suggestion"].search_count(
                [("user_id", "in", feeds.user_id.ids)]
            )
            cr.rollback()
    finally:
        server.stop()
    return {
        "row": "feed_refresh",
        "feeds": args.feeds,
        "events_per_feed": args.feed_events,
        "ok_feeds": sum(1 for r in results.values() if r == "ok"),
        "suggestions": made,
        "seconds": round(first, 2),
        "queries": queries,
        "queries_per_feed": round(queries / max(len(feeds), 1), 1),
        "load_before": load_before,
        "unchanged_304_seconds": round(second, 2),
        "unchanged": sum(1 for r in again.values() if r == "unchanged"),
        "target_s": 30,
        "ok": first <= 30 and all(r == "ok" for r in results.values()),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--feeds", type=int, default=150)
    parser.add_argument("--feed-events", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--db-filter",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="start the server with --db-filter (a listing of the databases "
        "per request without a session) instead of -d alone",
    )
    parser.add_argument("--only", choices=["webhook", "feed"])
    args = parser.parse_args()
    if not os.environ.get(KEY_ENV):
        from cryptography.fernet import Fernet

        os.environ[KEY_ENV] = Fernet.generate_key().decode()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    if args.only != "feed":
        print(json.dumps(webhook_row(args, registry)), flush=True)
    if args.only != "webhook":
        print(json.dumps(feed_row(args, registry)), flush=True)


if __name__ == "__main__":
    main()
