"""The probe suite: the access matrix tried from outside, over real HTTP
JSON-RPC sessions, against Odoo in multi-process mode.

`make test` copies the freshly installed database (AGENCY_PROBE_DB, as it
does for the uninstall test); tests/probe_data.py commits the probe's people
and records in it (the demo company and a second one, each with an internal
user without an Agency group, a User, a Producer, a Billing user and an
Administrator), then a real ``python3 -m odoo --workers 2
--max-cron-threads 1`` serves it, the way a production agency runs it.

As each of the ten people, for every model and every money field of
security/access_matrix.csv: ``search_read``, ``read`` (theirs and the other
company's ids), filtering and ordering on the field, ``read_group``,
``export_data``, ``write``, ``unlink``, and each public method of the add-ons
called with the other company's ids, wrong types, huge strings and SQL-looking
text. Every answer is a clean error or the allowed data: never an HTTP 500 or
an HTML page, never a database error, never a record of the other company,
never a money field the matrix hides, and afterwards no existing row of any
table of the matrix has changed (read over a separate connection). The counts
(tried, refused, allowed) are printed.

Then, on the same server: a timer started through one worker is seen and
stopped through the other (the request log says which process served each
call), and a cron job runs in the cron worker's own process.

Without the copy it fails and says how to run it: it never skips.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import odoo

from .probe import Server, Session, changed_rows, snapshot, verdict

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "..", "security", "access_matrix.csv")
HUGE = "x" * 200_000
SQL_TEXT = "'; DELETE FROM account_analytic_line; --"
SQL_ORDER = "id; DELETE FROM account_analytic_line"
VALUES = {
    "float": 1.0,
    "monetary": 1.0,
    "integer": 1,
    "char": "probe",
    "text": "probe",
    "html": "probe",
    "boolean": True,
    "date": "2026-01-01",
    "datetime": "2026-01-01 10:00:00",
}
NUMERIC = {"float", "monetary", "integer"}
# The levels whose money fields are probed one by one: those the matrix hides
# them from (Billing's and Administrators' reads are the search_read above).
FIELD_LEVELS = ("user", "producer")


def load_matrix():
    with open(MATRIX, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["model"].startswith("#")]
    matrix = {}
    for row in rows:
        matrix.setdefault(row["model"], {})[row["group"]] = row
    return matrix


class Probe:
    """The calls of one person, their verdicts and what went wrong."""

    def __init__(self, session, company, level, facts, matrix, foreign):
        self.session = session
        self.company = company
        self.level = level
        self.facts = facts
        self.matrix = matrix
        self.foreign = foreign  # {model: ids of the other company}
        self.counts = Counter()
        self.problems = []

    def who(self):
        return f"{self.level}@{self.company}"

    def call(self, model, method, args, kwargs=None):
        answer = self.session.call(model, method, args, kwargs)
        kind, detail = verdict(answer)
        self.counts["tried"] += 1
        self.counts[kind] += 1
        if kind == "broken":
            self.problems.append(
                f"{self.who()} {model}.{method}{json.dumps(args)[:120]}: {detail[:300]}"
            )
        return answer.get("result") if kind == "allowed" else None

    def leak(self, model, what):
        self.counts["leaks"] += 1
        self.problems.append(f"LEAK {self.who()} {model}: {what}")

    def check_ids(self, model, result, scope_all, what):
        """Rows of `result` (dicts with an id) that belong to the other
        company."""
        if not result or scope_all or not isinstance(result, list):
            return
        ids = {row.get("id") for row in result if isinstance(row, dict)}
        foreign = ids & self.foreign.get(model, set())
        if foreign:
            self.leak(model, f"{what} returned the other company's {sorted(foreign)}")

    def run(self):
        for model, info in sorted(self.facts["models"].items()):
            self.probe_model(model, info)
        return self

    def probe_model(self, model, info):
        rows = self.matrix.get(model, {})
        row = rows.get(self.level) or {}
        hidden = set((row.get("hidden_fields") or "").split())
        money = {
            name
            for other in rows.values()
            for name in (other.get("hidden_fields") or "").split()
        }
        scope_all = row.get("scope") == "all"
        foreign = sorted(self.foreign.get(model, ()))[:3]
        fields = info["fields"]
        if self.company == "B":
            # The other company's people: what crosses companies only.
            self.probe_companies(model, info, foreign, scope_all)
            return
        found = self.call(model, "search", [[]], {"limit": 3}) or []
        result = self.call(model, "search_read", [[]], {"limit": 5})
        self.check_ids(model, result, scope_all, "search_read")
        if result:
            shown = set(result[0]) & hidden
            if shown:
                self.leak(model, f"search_read shows hidden {sorted(shown)}")
        self.probe_companies(model, info, foreign, scope_all)
        if self.level in FIELD_LEVELS:
            for field in sorted(money & set(fields)):
                self.probe_field(
                    model, field, fields[field], found, field in hidden, scope_all
                )
        # Text and orders a client should never get past the ORM.
        target = "name" if "name" in fields else "display_name"
        result = self.call(
            model, "search_read", [[(target, "ilike", SQL_TEXT)], ["id"]], {"limit": 5}
        )
        self.check_ids(model, result, scope_all, "search_read with SQL text")
        self.call(model, "search_read", [[], ["id"]], {"order": SQL_ORDER, "limit": 1})
        self.call(model, "read", [["x", {"a": 1}], ["id"]])
        for method in info["methods"]:
            self.probe_method(model, method, foreign, found)

    def probe_companies(self, model, info, foreign, scope_all):
        """Reading, counting, changing and deleting the other company's
        records."""
        fields = info["fields"]
        if foreign:
            result = self.call(model, "read", [foreign, ["id", "display_name"]])
            self.check_ids(model, result, scope_all, "read of the other company's ids")
            if "company_id" in fields and info["company_column"]:
                groups = self.call(
                    model,
                    "read_group",
                    [[], ["__count"], ["company_id"]],
                    {"lazy": True},
                )
                theirs = {
                    group["company_id"][0]
                    for group in groups or []
                    if group.get("company_id")
                }
                if not scope_all and theirs - set(self.session_companies()):
                    self.leak(model, f"read_group counts companies {sorted(theirs)}")
            name = "name" if fields.get("name", [None])[0] in ("char", "text") else None
            if name:
                self.call(model, "write", [foreign, {name: "probe wrote this"}])
            self.call(model, "unlink", [foreign])

    def session_companies(self):
        return [self.facts["companies"][self.company]]

    def probe_field(self, model, field, spec, found, hidden, scope_all):
        ftype, searchable = spec
        answers = {
            "read": self.call(model, "read", [found, [field]]) if found else None,
            "filter": self.call(
                model, "search_read", [[(field, "!=", False)], ["id"]], {"limit": 5}
            )
            if searchable
            else None,
            "order": self.call(
                model,
                "search_read",
                [[], ["id"]],
                {"order": f"{field} desc", "limit": 5},
            ),
            "group": self.call(
                model,
                "read_group",
                [
                    [],
                    [f"{field}:sum"] if ftype in NUMERIC else ["__count"],
                    ["create_uid"],
                ]
                if ftype in NUMERIC
                else [[], ["__count"], [field]],
                {"lazy": True},
            ),
            "export": self.call(model, "export_data", [found, [field]])
            if found
            else None,
        }
        if not searchable:
            answers["filter"] = None  # Odoo ignores a condition it cannot search
        for what in ("filter", "order"):
            self.check_ids(model, answers[what], scope_all, f"{what} on {field}")
        if hidden:
            for what, answer in answers.items():
                if what == "filter" and answer and self.ignored(model, field, answer):
                    continue
                if answer and (what != "read" or field in answer[0]):
                    self.leak(model, f"{what} of hidden {field} answered")
        if hidden and found and ftype in VALUES:
            wrote = self.call(model, "write", [found, {field: VALUES[ftype]}])
            if wrote:
                self.leak(model, f"write of hidden {field} accepted")

    def ignored(self, model, field, answer):
        """Whether Odoo ignored the condition on `field` (one it cannot
        search, such as a related field to a computed one): its opposite
        finds the same rows, so nothing about the values was learnt."""
        opposite = self.call(
            model, "search_read", [[(field, "=", False)], ["id"]], {"limit": 5}
        )
        return opposite is not None and [row["id"] for row in opposite] == [
            row["id"] for row in answer
        ]

    def probe_method(self, model, method, foreign, found):
        variants = [
            [foreign or [0]],
            [found or foreign or [0], HUGE, {"a": SQL_TEXT}, ["x", {"a": 1}]],
        ]
        for args in variants:
            result = self.call(model, method, args)
            if result is not None and foreign:
                self.counts["allowed_with_foreign_ids"] += 1


class TestProbe(unittest.TestCase):
    def test_probe_over_a_multi_process_server(self):
        database = os.environ.get("AGENCY_PROBE_DB")
        if not database:
            self.fail(
                "AGENCY_PROBE_DB is not set: the probe suite commits its data in a "
                "disposable copy of the test database, which `make test` makes. Run "
                "it with `make test` or `bash tools/test.sh tests/test_probe.py`."
            )
        config = odoo.tools.config.rcfile
        started = time.monotonic()
        facts = self.build(config, database)
        matrix = load_matrix()
        logfile = os.path.join(
            tempfile.gettempdir(), f"agency_probe_{uuid.uuid4().hex}.log"
        )
        server = Server(config, database, logfile)
        connection = odoo.sql_db.db_connect(database)
        tables = sorted(
            info["table"] for info in facts["models"].values() if info["stored_table"]
        )
        with connection.cursor() as cr:
            foreign = self.foreign_ids(cr, facts)
            before = snapshot(cr, tables)
        server.start()
        try:
            sessions = {
                (company, level): Session(server, login)
                for company, logins in facts["logins"].items()
                for level, login in logins.items()
            }
            probes = [
                Probe(session, company, level, facts, matrix, foreign[company])
                for (company, level), session in sessions.items()
            ]
            with ThreadPoolExecutor(max_workers=3) as pool:
                done = list(pool.map(Probe.run, probes))
            with connection.cursor() as cr:
                changes = changed_rows(before, snapshot(cr, tables))
            counts = sum((probe.counts for probe in done), Counter())
            problems = [problem for probe in done for problem in probe.problems]
            workers = self.timer_across_workers(server, sessions[("A", "user")])
            cron_pid = self.cron_in_its_own_process(server, connection, facts["cron"])
        finally:
            server.stop()
        seconds = time.monotonic() - started
        summary = (
            f"probe: {counts['tried']} calls tried, "
            f"{counts['refused'] + counts['malformed']} refused "
            f"({counts['malformed']} as malformed calls), {counts['allowed']} allowed "
            f"({counts['allowed_with_foreign_ids']} of them methods called with the "
            f"other company's ids, answering without its data), "
            f"{counts['broken']} broken, {counts['leaks']} leaks, {len(changes)} rows "
            f"changed; timer started by worker {workers[0]} and seen and stopped by "
            f"worker {workers[1]}; cron job in process {cron_pid}; {seconds:.0f}s"
        )
        print("\n" + summary)
        # tools/test.sh prints it after pytest's summary (pytest hides a passing
        # test's output).
        if os.environ.get("AGENCY_PROBE_SUMMARY"):
            with open(os.environ["AGENCY_PROBE_SUMMARY"], "w", encoding="utf-8") as out:
                out.write(summary + "\n")
        with open(logfile + ".problems", "w", encoding="utf-8") as handle:
            handle.write("\n".join(problems + changes))
        self.assertFalse(problems, "\n".join(problems[:60]))
        self.assertFalse(changes, "\n".join(changes[:60]))
        self.assertGreater(counts["refused"], 0)
        self.assertGreater(counts["allowed"], 0)
        # About 2 minutes on an idle 2-core machine; the bound only catches a
        # hang, as a loaded machine is slower (the time is printed above).
        self.assertLess(seconds, 600, "the probe suite hangs")
        # Passed: the server's log and the (empty) problems file go.
        for path in (logfile, logfile + ".problems"):
            if os.path.exists(path):
                os.remove(path)

    def build(self, config, database):
        result = subprocess.run(
            [
                sys.executable,
                os.path.join(HERE, "probe_data.py"),
                "--config",
                config,
                "--database",
                database,
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=600,
        )
        lines = [
            line
            for line in result.stdout.splitlines()
            if line.startswith("PROBE-DATA ")
        ]
        self.assertTrue(lines, (result.stdout + result.stderr)[-4000:])
        return json.loads(lines[-1][len("PROBE-DATA ") :])

    def foreign_ids(self, cr, facts):
        """{company: {model: ids of records of the other company}}."""
        foreign = {}
        for company, company_id in facts["companies"].items():
            foreign[company] = {}
            for model, info in facts["models"].items():
                if not info["company_column"]:
                    continue
                cr.execute(
                    f'SELECT id FROM "{info["table"]}" '
                    "WHERE company_id IS NOT NULL AND company_id != %s",
                    [company_id],
                )
                foreign[company][model] = {ident for (ident,) in cr.fetchall()}
        return foreign

    def timer_across_workers(self, server, session):
        """Start a timer through one worker, see and stop it through the
        other: the pids of the two workers."""
        # A steady stream of reads keeps one worker busy now and then, so the
        # other one takes the next call.
        busy = threading.Event()

        def load():
            while not busy.is_set():
                session.call("agency.timer", "get_current", [])

        thread = threading.Thread(target=load, daemon=True)
        thread.start()
        try:
            project = session.call(
                "project.project",
                "search",
                [[("name", "=", "Probe A Campaign")]],
            )["result"][0]
            for attempt in range(20):
                mark = f"start{attempt}-{uuid.uuid4().hex[:6]}"
                info = session.call(
                    "agency.timer", "action_start", [project], marker=mark
                )
                self.assertIn("result", info, info)
                timer_id = info["result"]["id"]
                started_by = server.pid_of(mark)
                seen = False
                for look in range(30):
                    mark = f"seen{attempt}-{look}-{uuid.uuid4().hex[:6]}"
                    current = session.call(
                        "agency.timer", "get_current", [], marker=mark
                    )["result"]
                    if server.pid_of(mark) != started_by:
                        ids = [timer["id"] for timer in current["timers"]]
                        self.assertIn(timer_id, ids, "seen through the other worker")
                        seen = True
                        break
                self.assertTrue(seen, "two workers answer")
                mark = f"stop{attempt}-{uuid.uuid4().hex[:6]}"
                stopped = session.call(
                    "agency.timer", "action_stop", [[timer_id]], marker=mark
                )
                self.assertIn("result", stopped, stopped)
                stopped_by = server.pid_of(mark)
                state = session.call("agency.timer", "read", [[timer_id], ["state"]])[
                    "result"
                ][0]["state"]
                self.assertEqual(state, "stopped")
                if stopped_by != started_by:
                    return started_by, stopped_by
            self.fail("20 timers were all stopped by the worker that started them")
        finally:
            busy.set()
            thread.join(30)

    def cron_in_its_own_process(self, server, connection, cron):
        """Trigger one cron job; the pid of the process that ran it, which is
        neither the main process nor an HTTP worker."""
        with connection.cursor() as cr:
            cr.execute(
                "UPDATE ir_cron SET nextcall = now() - interval '1 minute', "
                "lastcall = NULL WHERE id = %s",
                [cron["id"]],
            )
            cr.commit()
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr.execute("SELECT pg_notify('cron_trigger', %s)", [server.database])
        deadline = time.monotonic() + 100
        pids = set()
        while time.monotonic() < deadline and not pids:
            time.sleep(1)
            pids = server.cron_pids(f"'{cron['name']}' ({cron['id']}) done")
        self.assertTrue(pids, f"the cron job ran ({server.logfile})")
        with connection.cursor() as cr:
            cr.execute("SELECT lastcall FROM ir_cron WHERE id = %s", [cron["id"]])
            self.assertTrue(cr.fetchone()[0], "the cron job recorded its run")
        (pid,) = pids
        self.assertNotEqual(pid, server.process.pid, "not the main process")
        self.assertNotIn(pid, server.http_pids(), "not an HTTP worker")
        return pid
