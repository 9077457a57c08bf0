"""Benchmark rows of issue 18 (calendar feeds, activity webhooks), loopback only.

    python3 tests/bench/activity_bench.py --config .local/odoo.conf --database DB \
        [--events 2000] [--clients 20] [--feeds 150] [--feed-events 200]

Prints one JSON line per row:

- ``webhook_burst``: EVENTS generic events from CLIENTS concurrent clients on
  127.0.0.1 against an Odoo server started here as ``make bench``'s are
  (``--workers 2``), each event a separate POST; every event must be stored
  once (none lost, none twice) and p95 ≤ 150 ms. Beside it the same burst
  against stock ``/web/webclient/version_info`` (the floor).
- ``feed_refresh``: FEEDS calendar feeds of FEED_EVENTS events each, served
  by a local http.server, refreshed by agency.calendar.feed (≤ 30 s).

The data it needs (a person with a token, the feeds' people) is committed for
the server to see and deleted at the end. Kept apart from worker.py / run.py:
the coordinator wires these rows into ``make bench``.
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

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(post, bodies))
    wall = time.perf_counter() - start
    latencies = [ms for ms, _status in results]
    return {
        "requests": len(results),
        "errors": sum(1 for _ms, status in results if status >= 400),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "wall_s": round(wall, 2),
    }


def webhook_row(args, registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = person(env, "bench_hook", agency_activity_generic=True)
        env["agency.secret"]._agency_store(user, "integration_token", TOKEN)
        uid = user.id
        cr.commit()
    port = free_port()
    logfile = os.path.join(ROOT, ".local", "activity_bench_server.log")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            args.config,
            "-d",
            args.database,
            f"--db-filter=^{args.database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--logfile={logfile}",
            "--no-database-list",
        ],
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
        "stored": stored,
        "stored_once": stored == distinct == args.events,
        "suggestions": suggestions,
        "webhook": hook,
        "floor_version_info": floor,
        "target_p95_ms": 150,
        "ok": stored == distinct == args.events
        and not hook["errors"]
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
            start = time.perf_counter()
            results = feeds._agency_refresh()
            first = time.perf_counter() - start
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
