"""The probe suite's tools: a multi-process Odoo server, JSON-RPC sessions, the
verdict on an answer, and the database as seen from outside.

tests/test_probe.py uses them. The server is a real ``python3 -m odoo`` in
Odoo's multi-process mode (``--workers 2 --max-cron-threads 1``) on a copy of
the test database, whose probe data is committed; the test talks to it over
HTTP as a browser does, and reads the database over its own connection.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import requests

# Errors that are a clean refusal: the ORM's and the add-ons' own.
CLEAN = "odoo.exceptions."
# Errors of a malformed call (wrong types, unknown fields or orders) that Odoo
# answers in JSON before touching any data.
MALFORMED = (
    "builtins.ValueError",
    "builtins.TypeError",
    "builtins.KeyError",
    "builtins.IndexError",
    "builtins.AttributeError",
    "builtins.AssertionError",
    # ids or values of the wrong type refused by PostgreSQL as the statement's
    # parameters are bound (never spliced into it): the call fails whole.
    "psycopg2.ProgrammingError",
    "psycopg2.errors.InvalidTextRepresentation",
    "psycopg2.errors.DatatypeMismatch",
    "psycopg2.errors.NumericValueOutOfRange",
)
REQUEST_LOG = re.compile(r"^\S+ \S+ (\d+) INFO \S+ werkzeug: .*\"(?:GET|POST) (\S+) ")
CRON_LOG = re.compile(
    r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: (.*)"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python3 -m odoo`` with 2 HTTP workers and a cron worker on `database`
    (the configuration file `config` gives the PostgreSQL connection)."""

    def __init__(self, config, database, logfile):
        self.config = config
        self.database = database
        self.logfile = logfile
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, timeout=180):
        command = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            self.config,
            "-d",
            self.database,
            f"--db-filter=^{re.escape(self.database)}$",
            "--workers=2",
            "--max-cron-threads=1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--http-interface=127.0.0.1",
            "--log-level=info",
            f"--logfile={self.logfile}",
            "--limit-time-real=300",
            "--limit-time-cpu=300",
            "--no-database-list",
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "The probe server stopped at start "
                    f"(exit {self.process.returncode}): "
                    f"see {self.logfile}"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(
            f"The probe server did not answer in {timeout}s: {self.logfile}"
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def log(self):
        if not os.path.exists(self.logfile):
            return []
        with open(self.logfile, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()

    def pid_of(self, marker, timeout=5):
        """The pid of the process that served the request whose path holds
        `marker` (from the request log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.log():
                match = REQUEST_LOG.match(line)
                if match and marker in match.group(2):
                    return int(match.group(1))
            time.sleep(0.2)
        raise AssertionError(f"No request {marker} in {self.logfile}")

    def http_pids(self):
        return {
            int(match.group(1)) for match in map(REQUEST_LOG.match, self.log()) if match
        }

    def cron_pids(self, name):
        return {
            int(match.group(1))
            for match in map(CRON_LOG.match, self.log())
            if match and name in match.group(2)
        }


class Session:
    """A logged-in browser session of `login` (password = login)."""

    def __init__(self, server, login):
        self.server = server
        self.login = login
        self.http = requests.Session()
        # One connection per request: any worker may answer any call.
        self.http.headers["Connection"] = "close"
        answer = self.post(
            "/web/session/authenticate",
            {"db": server.database, "login": login, "password": login},
        )
        if "error" in answer or not answer.get("result", {}).get("uid"):
            raise AssertionError(f"{login} could not sign in: {answer}")
        self.uid = answer["result"]["uid"]

    def post(self, path, params):
        response = self.http.post(
            f"{self.server.url}{path}",
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        if response.status_code != 200 or not response.headers.get(
            "Content-Type", ""
        ).startswith("application/json"):
            return {"http_error": response.status_code, "body": response.text[:300]}
        return response.json()

    def call(self, model, method, args, kwargs=None, marker=""):
        path = f"/web/dataset/call_kw/{model}/{method}"
        if marker:
            path += f"?probe={marker}"
        return self.post(
            path,
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def verdict(answer):
    """'allowed', 'refused' (a clean error), 'malformed' (an error of the
    call's shape, in JSON) or 'broken' (anything else: a 500, an HTML page, a
    database error) with the error's name."""
    if "http_error" in answer:
        return "broken", f"HTTP {answer['http_error']}: {answer['body']}"
    if "error" not in answer:
        return "allowed", None
    name = answer["error"].get("data", {}).get("name", "")
    if name.startswith(CLEAN) or name == "werkzeug.exceptions.NotFound":
        return "refused", name
    if name in MALFORMED:
        return "malformed", name
    return "broken", f"{name}: {answer['error'].get('data', {}).get('message', '')}"


def snapshot(cr, tables):
    """{table: {id: md5 of the row}} of `tables`, read over cursor `cr`."""
    rows = {}
    for table in tables:
        cr.execute(f'SELECT id, md5(CAST(t AS text)) FROM "{table}" t')
        rows[table] = dict(cr.fetchall())
    return rows


def changed_rows(before, after):
    """['table id: changed|deleted'] between two snapshots (new rows are not
    changes of anyone's data)."""
    changes = []
    for table, rows in before.items():
        now = after.get(table, {})
        for ident, digest in rows.items():
            if ident not in now:
                changes.append(f"{table} {ident}: deleted")
            elif now[ident] != digest:
                changes.append(f"{table} {ident}: changed")
    return changes
