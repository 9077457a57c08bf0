"""The steps of an import batch over the ORM: dry run, import, report, rollback.

``agency.import.batch`` (models/agency_import_batch.py) checks the caller and
calls these; the reading itself is the pure package ``importing/``. A batch is
one slice of one file (all of it, a month or a client):

- :func:`dry_run` reads the file, maps every name (the source's template,
  else an existing record by email, code or near-identical name, else a new
  one; spellings of one name proposed for merging), lists rejected rows, counts
  what would be created and what is already there (fingerprints), and draws the
  side-by-side report; it writes only the batch, its rejects and the template's
  mapping lines.
- :func:`run_import` creates the records and entries of the slice in one
  savepoint, then sets historic states and draws the report from the records
  really created.
- :func:`rollback` removes what the batch created, unless something
  downstream (a billing run, an invoice) used its entries.
"""

import base64
import datetime
import hashlib
import json

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import SQL

from .importing import fingerprint, matching, reader, report
from .importing.reader import FileError, Question, Reject, Row
from .importing.sources import MissingColumns

CHUNK = 2000
# What a chunk creates, dropped from the cache after each chunk.
CHUNK_MODELS = ("account.analytic.line", "agency.import.record", "agency.audit")
REPORT_CHUNK = 20000  # fingerprints per query of the report's Odoo side
# Created records removed by a rollback, in this order (dependants first).
ROLLBACK_ORDER = (
    "project.task",
    "project.project",
    "hr.employee",
    "agency.role",
    "res.partner",
)
KIND_MODEL = {
    "client": "res.partner",
    "project": "project.project",
    "task": "project.task",
    "person": "hr.employee",
    "role": "agency.role",
}


def checksum(content):
    return hashlib.sha256(content).hexdigest()


def options_of(batch):
    template = batch.template_id
    return reader.Options(
        source=batch.source or None,
        date_format=batch.date_format or template.date_format or None,
        decimal_mark=batch.decimal_mark or template.decimal_mark or None,
        tz=batch.tz or template.tz or "UTC",
        sheet=batch.sheet or None,
        generic_map=template._generic_map() if template else None,
    )


def content_of(batch):
    if not batch.file:
        raise UserError(batch.env._("Batch %s has no file: upload one.", batch.name))
    return base64.b64decode(batch.file)


def inspect(batch):
    """The file's layout, or None with the batch's question or error set."""
    content = content_of(batch)
    try:
        return reader.inspect(content, options_of(batch))
    except Question as question:
        batch.write(
            {
                "state": "question",
                "question_kind": question.kind,
                "question_choices": ",".join(question.choices),
                "message": str(question),
            }
        )
    except (FileError, MissingColumns) as error:
        batch.write({"state": "error", "message": str(error)})
    return None


def in_slice(batch, row):
    if batch.slice_kind == "month":
        return row.date.strftime("%Y-%m") == batch.slice_month
    if batch.slice_kind == "client":
        return matching.name_key(row.client) == matching.name_key(batch.slice_client)
    return True


def reject_in_slice(batch, reject):
    """Whether a rejected line belongs to the batch's slice; None when its
    month cannot be read (a month slice cannot tell)."""
    if batch.slice_kind == "month":
        return None if reject.month is None else reject.month == batch.slice_month
    if batch.slice_kind == "client":
        return matching.name_key(reject.client or "") == matching.name_key(
            batch.slice_client or ""
        )
    return True


def lists_unreadable(batch):
    """Whether the batch lists the lines no month slice can place: once per
    file, in the first batch of the file (same checksum and company, not
    rolled back) that listed them."""
    if batch.slice_kind != "month":
        return True
    listed = (
        batch.env["agency.import.reject"]
        .sudo()
        .search_count(
            [
                ("unreadable", "=", True),
                ("batch_id", "!=", batch.id),
                ("batch_id.checksum", "=", batch.checksum),
                ("batch_id.company_id", "=", batch.company_id.id),
                ("batch_id.state", "!=", "rolled_back"),
            ],
            limit=1,
        )
    )
    return not listed


def slice_rows(batch, layout):
    """Yield (row or reject, fingerprint) of the batch's slice, in file order;
    fingerprints count the whole file so that every slice sees the same.
    Rejected lines come in their slice; those whose month cannot be read in
    one batch of the file only (:func:`lists_unreadable`)."""
    content = content_of(batch)
    prints = fingerprint.Fingerprints(layout.source)
    unreadable = None
    for item in reader.read_rows(content, layout, options_of(batch)):
        if isinstance(item, Reject):
            inside = reject_in_slice(batch, item)
            if inside is None:
                if unreadable is None:
                    unreadable = lists_unreadable(batch)
                inside = unreadable
            if inside:
                yield item, None
        else:
            key = prints(item)
            if in_slice(batch, item):
                yield item, key


def names_of(row):
    """{kind: mapping name} of a row."""
    names = {"project": row.project, "person": row.email or row.person}
    if row.client:
        names["client"] = row.client
    if row.task:
        names["task"] = f"{row.project} / {row.task}"
    if row.role:
        names["role"] = row.role
    if row.currency:
        names["currency"] = row.currency
    return names


class Mapper:
    """The template's mapping lines, completed for the names of a file."""

    def __init__(self, batch):
        self.batch = batch
        self.env = batch.env
        self.template = batch.template_id
        self.company = batch.company_id
        self.lines = {
            (line.kind, line.name): line for line in self.template.mapping_ids
        }
        self.extra = {}  # (kind, name) -> first row's code / person name
        self.labels = {}
        self.last_day = {}  # project name -> its last day in the file

    def note(self, row):
        last = self.last_day.get(row.project)
        self.last_day[row.project] = max(last, row.date) if last else row.date
        for kind, name in names_of(row).items():
            if (kind, name) not in self.lines:
                self.lines[(kind, name)] = None
            if kind == "project" and row.project_code:
                self.extra.setdefault((kind, name), row.project_code)
            if kind == "person":
                self.extra.setdefault((kind, name), row.person)
            if kind == "task":
                self.extra.setdefault((kind, name), (row.project, row.task))

    def complete(self):
        """Create the mapping lines of the names met for the first time:
        proposals (existing record, merge, create, unknown currency)."""
        Mapping = self.env["agency.import.mapping"]
        new = [key for key, line in self.lines.items() if line is None]
        roots = {}
        values = []
        for kind, name in sorted(new):
            vals = {"template_id": self.template.id, "kind": kind, "name": name}
            vals["key"] = matching.name_key(name)
            existing = self._existing(kind, name)
            root = roots.setdefault((kind, vals["key"]), name)
            if existing:
                vals.update(action="map", res_id=existing.id, note="Found in Odoo")
            elif kind == "currency":
                vals.update(action="skip", note=f"Unknown currency {name}")
            elif root != name:
                vals.update(
                    action="merge",
                    merge_into=root,
                    note=f"Near-duplicate of {root!r}: proposed for merging",
                )
            values.append(vals)
        for line in Mapping.create(values):
            self.lines[(line.kind, line.name)] = line
        self.propose_archiving()

    def propose_archiving(self):
        """Projects with no entry in the file's last 12 months: proposed for
        archiving once imported (the mapping line's Archive)."""
        if not self.last_day:
            return
        cutoff = max(self.last_day.values()) - datetime.timedelta(days=365)
        for name, day in self.last_day.items():
            line = self.lines.get(("project", name))
            if line and day < cutoff and not line.archive and line.action == "create":
                line.write(
                    {
                        "archive": True,
                        "note": f"No entries in the file's last 12 months (last "
                        f"{day.isoformat()}): proposed for archiving",
                    }
                )

    def _existing(self, kind, name):
        env, company = self.env, self.company
        if kind == "currency":
            return (
                env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", name.upper())], limit=1)
            )
        if kind == "person" and "@" in name:
            found = env["hr.employee"].search(
                [("work_email", "=ilike", name), ("company_id", "=", company.id)],
                limit=1,
            )
            if found:
                return found
            name = self.extra.get((kind, name)) or name
        if kind == "project" and self.extra.get((kind, name)):
            found = env["project.project"].search(
                [
                    ("agency_code", "=", self.extra[(kind, name)]),
                    ("company_id", "in", (False, company.id)),
                ],
                limit=1,
            )
            if found:
                return found
        if kind == "task":
            # found in its project, when the project is Odoo's already
            project_name, task_name = self.extra.get((kind, name), ("", ""))
            project_line = self.lines.get(("project", project_name))
            project = (
                env["project.project"].browse(project_line.res_id)
                if project_line and project_line.action == "map"
                else self._existing("project", project_name)
            )
            if not project:
                return env["project.task"]
            return env["project.task"].search(
                [("project_id", "=", project.id), ("name", "=ilike", task_name)],
                limit=1,
            )
        model = KIND_MODEL[kind]
        scoped = [("company_id", "in", (False, company.id))]
        exact = env[model].search([("name", "=ilike", name.strip()), *scoped], limit=1)
        if exact:
            return exact
        first = matching.name_key(name).split(" ")[0]
        candidates = env[model].search(
            [("name", "ilike", first), ("company_id", "in", (False, company.id))],
            limit=50,
        )
        return matching.best_match(name, {rec.name: rec for rec in candidates})

    def line(self, kind, name):
        """The mapping line that decides a name, following merges."""
        line = self.lines[(kind, name)]
        seen = set()
        while line.action == "merge" and line.merge_into and line.id not in seen:
            seen.add(line.id)
            line = self.lines.get((kind, line.merge_into)) or line
        return line

    def label(self, kind, name):
        """The name the report shows: the Odoo record's, else the root's
        (read once per name)."""
        if not name:
            return ""
        if (kind, name) not in self.labels:
            self.labels[(kind, name)] = self._label(kind, name)
        return self.labels[(kind, name)]

    def _label(self, kind, name):
        line = self.line(kind, name)
        if line.action == "map" and line.res_id:
            record = self.env[line.res_model].browse(line.res_id).exists()
            if record:
                return record.display_name if kind != "task" else record.name
        if kind == "person":
            return self.extra.get((kind, line.name)) or line.name
        return line.name

    def refusal(self, row):
        """Why a row cannot be imported as mapped, or None."""
        for kind, name in names_of(row).items():
            line = self.line(kind, name)
            if line.action == "skip":
                return kind, name, line.note or f"{kind} {name!r} is set to reject"
        return None


def already_there(batch, keys):
    """The fingerprints among keys that an entry of this source and company
    still carries (read as plain values, a chunk at a time: a re-import of a
    big file never holds its records)."""
    keys = list(keys)
    Record = batch.env["agency.import.record"].sudo()
    found = set()
    for start in range(0, len(keys), CHUNK):
        found.update(
            key
            for (key,) in Record._read_group(
                [
                    ("company_id", "=", batch.company_id.id),
                    ("source", "=", batch.source),
                    ("fingerprint", "in", keys[start : start + CHUNK]),
                    ("line_id", "!=", False),
                ],
                ["fingerprint"],
            )
        )
    return found


def add_to_totals(totals, mapper, row):
    """The row in the report's cells, by Odoo's names of its client, project
    and person."""
    names = names_of(row)
    labelled = Row(
        **{
            **row.__dict__,
            "client": mapper.label("client", names.get("client")),
            "project": mapper.label("project", names["project"]),
            "person": mapper.label("person", names["person"]),
        }
    )
    totals.add_row(labelled)


def dry_run(batch):
    """Read, map and count the batch's slice; write nothing but the batch, its
    rejects and the template's mapping lines."""
    batch.reject_ids.unlink()
    layout = inspect(batch)
    if layout is None:
        return False
    batch.source = layout.source
    if not batch.template_id:
        batch.template_id = batch.env["agency.import.template"]._for_source(
            layout.source, batch.company_id
        )
    mapper = Mapper(batch)
    rejects, keys = [], []
    for item, key in slice_rows(batch, layout):
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        mapper.note(item)
        keys.append(key)
    mapper.complete()
    unreadable = len(rejects)
    existing = already_there(batch, keys)
    file_totals, odoo_totals = report.Totals(), report.Totals()
    accepted = already = 0
    for item, key in slice_rows(batch, layout):
        if isinstance(item, Reject):
            continue
        add_to_totals(file_totals, mapper, item)
        refusal = mapper.refusal(item)
        if refusal:
            rejects.append(refused_row(item, refusal))
            continue
        accepted += 1
        already += key in existing
        add_to_totals(odoo_totals, mapper, item)
    creates = _creations(mapper)
    batch.write(
        {
            "state": "checked",
            "message": False,
            "question_kind": False,
            "question_choices": False,
            "row_count": len(keys) + unreadable,
            "accepted_count": accepted,
            "already_count": already,
            "new_count": accepted - already,
            "rejected_count": len(rejects),
            "create_summary": ", ".join(f"{k}: {n}" for k, n in creates.items() if n)
            or batch.env._("nothing"),
            # what the file was read with, shown and changeable
            "date_format": layout.date_format,
            "decimal_mark": layout.decimal_mark,
            "sheet": layout.sheet or batch.sheet,
            "reject_ids": [
                (0, 0, _reject_vals(reject)) for reject in sorted(rejects, key=_line)
            ],
            "report_json": json.dumps(report_rows(file_totals, odoo_totals)),
            "file_hours": file_totals.total()["hours"],
            "odoo_hours": odoo_totals.total()["hours"],
        }
    )
    return True


def refused_row(row, refusal):
    """A readable row its mapping refuses, as a reject of its slice."""
    kind, name, why = refusal
    return Reject(row.line, kind, name, why, row.date.strftime("%Y-%m"), row.client)


def _line(reject):
    return reject.line


def _reject_vals(reject):
    return {
        "line": reject.line,
        "column": reject.column,
        "value": (reject.value or "")[:200],
        "reason": reject.reason,
        "unreadable": reject.month is None,
    }


def _creations(mapper):
    counts = dict.fromkeys(("clients", "projects", "tasks", "people", "roles"), 0)
    plural = {
        "client": "clients",
        "project": "projects",
        "task": "tasks",
        "person": "people",
        "role": "roles",
    }
    for (kind, _name), line in mapper.lines.items():
        if kind in plural and line.action == "create":
            counts[plural[kind]] += 1
    return counts


def report_rows(file_totals, odoo_totals):
    return [
        {
            "month": month,
            "client": client,
            "project": project,
            "person": person,
            **{f"file_{name}": pair[0] for name, pair in pairs.items()},
            **{f"odoo_{name}": pair[1] for name, pair in pairs.items()},
            "same": same,
        }
        for month, client, project, person, pairs, same in report.side_by_side(
            file_totals, odoo_totals
        )
    ]


class Creator:
    """Creates what the mapping says to create, once per name, and records it
    on the batch."""

    def __init__(self, batch, mapper):
        self.batch, self.mapper, self.env = batch, mapper, batch.env
        self.created = []  # (model, id)
        self.targets = {}  # mapping line id -> record, once per name

    def target(self, kind, name, row):
        line = self.mapper.line(kind, name)
        record = self.targets.get(line.id)
        if record is None:
            record = self._target(kind, line, row)
            self.targets[line.id] = record
        return record

    def _target(self, kind, line, row):
        if line.action == "map" and line.res_id:
            record = self.env[line.res_model].browse(line.res_id).exists()
            if record:
                return record
        record = self.env[KIND_MODEL[kind]].sudo().create(self._values(kind, line, row))
        self.created.append((record._name, record.id))
        line.write({"action": "map", "res_id": record.id})
        return record

    def _values(self, kind, line, row):
        company = self.batch.company_id
        if kind == "client":
            return {"name": line.name, "is_company": True}
        if kind == "role":
            code = matching.name_key(line.name).upper().replace(" ", "")[:8]
            return {"name": line.name, "code": code, "company_id": company.id}
        if kind == "person":
            name = self.mapper.extra.get(("person", line.name)) or line.name
            vals = {"name": name, "company_id": company.id}
            if "@" in line.name:
                vals["work_email"] = line.name
            if row.role:
                vals["role_id"] = self.target("role", row.role, row).id
            return vals
        if kind == "project":
            vals = {
                "name": line.name,
                "allow_timesheets": True,
                "company_id": company.id,
                "agency_code": self.mapper.extra.get(("project", line.name)) or False,
            }
            if row.client:
                vals["partner_id"] = self.target("client", row.client, row).id
            return vals
        # a task: 'project / task'
        project = self.target("project", row.project, row)
        return {"name": row.task, "project_id": project.id}


def entry_values(batch, creator, row):
    vals = {
        "date": row.date,
        "unit_amount": row.seconds / 3600.0,
        "name": row.notes or "/",
        "employee_id": creator.target("person", row.email or row.person, row).id,
        "project_id": creator.target("project", row.project, row).id,
        "entry_source": "import",
        "company_id": batch.company_id.id,
    }
    if row.task:
        vals["task_id"] = creator.target("task", f"{row.project} / {row.task}", row).id
    if row.role:
        vals["role_id"] = creator.target("role", row.role, row).id
    return batch._agency_import_entry_values(row, vals)


def run_import(batch, limit=None):
    """Create the slice's entries and what they need, all or nothing.

    The slice streams (memory bounded): a first pass over the file checks
    every row (mapped, not refused) and keeps only their fingerprints; a
    second reads it again and creates the entries CHUNK rows at a time. The
    caller's savepoint makes a failure write nothing.

    With `limit` (the cron job's rows per run), at most that many entries are
    created per call: the batch stays queued and the next call resumes after
    the rows it already created (their fingerprints are this batch's); the
    last call finishes it. Returns how many rows are left (0: done)."""
    layout = inspect(batch)
    if layout is None:
        raise UserError(batch.message)
    mapper = Mapper(batch)
    keys = []
    refused, first_refused = 0, None
    for item, key in slice_rows(batch, layout):
        if not isinstance(item, Reject):
            mapper.note(item)
            if any(
                mapper.lines.get((kind, name)) is None
                for kind, name in names_of(item).items()
            ):
                raise UserError(
                    batch.env._(
                        "Batch %(batch)s: line %(line)s names something the dry "
                        "run has not mapped yet. Run the dry run again, then "
                        "import.",
                        batch=batch.name,
                        line=item.line,
                    )
                )
            refusal = mapper.refusal(item)
            if not refusal:
                keys.append(key)
                continue
            item = refused_row(item, refusal)
        refused += 1
        first_refused = first_refused or item
    if refused and not batch.skip_rejected:
        raise UserError(
            batch.env._(
                "Batch %(batch)s has %(count)s rejected rows (the first on line "
                "%(line)s: %(why)s). Correct the file, or tick 'Import without "
                "the rejected rows'; nothing was imported.",
                batch=batch.name,
                count=refused,
                line=first_refused.line,
                why=first_refused.reason,
            )
        )
    existing = already_there(batch, keys)
    # the rows earlier calls of this batch created (a slice split across runs)
    Record = batch.env["agency.import.record"].sudo()
    own = Record.search_count([("batch_id", "=", batch.id), ("line_id", "!=", False)])
    pending = sum(1 for key in keys if key not in existing)
    wanted = min(limit, pending) if limit else pending
    left = pending - wanted
    done_before, total = own, own + pending
    creator = Creator(batch, mapper)
    file_totals = report.Totals()
    now = fields.Datetime.now()
    uid = batch.env.uid
    stamp = (uid, now, batch.env._("Imported (batch %s)", batch.name))
    chunk, made = [], 0
    for row, key in slice_rows(batch, layout):
        if isinstance(row, Reject) or mapper.refusal(row):
            continue
        if not left:
            add_to_totals(file_totals, mapper, row)
        if key in existing or made + len(chunk) >= wanted:
            if left and made + len(chunk) >= wanted:
                break  # this call's share is read: the rest is the next call's
            continue
        chunk.append((row, key))
        if len(chunk) == CHUNK:
            made += _create_chunk(batch, creator, chunk, stamp)
            batch._notify_import_progress(done_before + made, total)
            chunk = []
    if chunk:
        made += _create_chunk(batch, creator, chunk, stamp)
        batch._notify_import_progress(done_before + made, total)
    Record.create(
        [
            {"batch_id": batch.id, "res_model": model, "res_id": res_id}
            for model, res_id in creator.created
        ]
    )
    created = done_before + made
    if left:
        batch.write(
            {
                "state": "queued",
                "created_count": created,
                "progress_done": created,
                "progress_total": total,
            }
        )
        return left
    archive_stale(batch, mapper)
    odoo_totals = odoo_report(batch, keys)
    batch.write(
        {
            "state": "done",
            "message": False,
            "imported_by_id": uid,
            "imported_on": now,
            "created_count": created,
            "already_count": len(keys) - created,
            "progress_done": created,
            "progress_total": total,
            "report_json": json.dumps(report_rows(file_totals, odoo_totals)),
            "file_hours": file_totals.total()["hours"],
            "odoo_hours": odoo_totals.total()["hours"],
        }
    )
    batch.env["agency.audit"]._log_operation(
        "import",
        batch,
        after=batch.env._(
            "%(new)s entries created, %(already)s already imported",
            new=created,
            already=len(keys) - created,
        ),
        reason=batch.filename or batch.name,
    )
    return 0


def _create_chunk(batch, creator, chunk, stamp):
    """Create the entries of `chunk` [(row, fingerprint)] and their import
    records, and give them their historic states; then write it all and drop
    what the chunk made from the record cache (its entries, their import
    records and audit rows), so that a big slice holds one chunk's records at
    a time; the people, projects and tasks it read stay cached for the next
    chunk (bounded by the agency, not by the file). `stamp`: (uid, now,
    reason) of the states. Returns how many were created."""
    env = batch.env
    Line = env["account.analytic.line"].sudo()
    Record = env["agency.import.record"].sudo()
    lines = Line.create([entry_values(batch, creator, row) for row, _key in chunk])
    Record.create(
        [
            {
                "batch_id": batch.id,
                "line_id": line.id,
                "fingerprint": key,
                "file_line": row.line,
                **batch._agency_import_record_values(row),
            }
            for line, (row, key) in zip(lines, chunk, strict=True)
        ]
    )
    states = {"approved": [], "submitted": []}
    for line, (row, _key) in zip(lines, chunk, strict=True):
        state = batch._agency_import_state(row)
        if state in states:
            states[state].append(line.id)
    uid, now, reason = stamp
    Line.browse(states["submitted"])._agency_set_state(
        "submitted", {"submitted_by_id": uid, "submitted_on": now}, reason=reason
    )
    Line.browse(states["approved"])._agency_set_state(
        "approved",
        {"approved_by_id": uid, "approved_on": now, "submitted_on": now},
        reason=reason,
    )
    made = len(lines)
    env.flush_all()
    for model in CHUNK_MODELS:
        env[model].invalidate_model()
    return made


def archive_stale(batch, mapper):
    """Archive the projects the batch created that the dry run proposed for
    archiving (no entries in the file's last 12 months)."""
    created = set(
        batch.env["agency.import.record"]
        .sudo()
        .search([("batch_id", "=", batch.id), ("res_model", "=", "project.project")])
        .mapped("res_id")
    )
    stale = [
        line.res_id
        for (kind, _name), line in mapper.lines.items()
        if kind == "project" and line and line.archive and line.res_id in created
    ]
    if stale:
        batch.env["project.project"].sudo().browse(stale).active = False


def odoo_report(batch, keys):
    """The report's Odoo side, read from the entries that carry the slice's
    fingerprints (this batch's and earlier ones'): their sums per month,
    client, project and person in SQL (the import record's billable values
    beside its entry's fields, which the ORM cannot group together), a few
    rows per cell, never the slice's entries in the cache."""
    env = batch.env
    Record = env["agency.import.record"].sudo()
    Line = env["account.analytic.line"].sudo()
    Record.flush_model(["company_id", "source", "fingerprint", "line_id", "billable",
                        "billable_amount", "cost"])  # fmt: skip
    Line.flush_model(["date", "project_id", "employee_id", "unit_amount"])
    env["project.project"].flush_model(["partner_id"])
    sums = []
    keys = list(keys)
    for start in range(0, len(keys), REPORT_CHUNK):
        sums += env.execute_query(
            SQL(
                """
                SELECT to_char(line.date, 'YYYY-MM'), project.partner_id,
                       line.project_id, line.employee_id, SUM(line.unit_amount),
                       SUM(line.unit_amount) FILTER (WHERE record.billable),
                       SUM(record.billable_amount), SUM(record.cost)
                  FROM agency_import_record record
                  JOIN account_analytic_line line ON line.id = record.line_id
                  LEFT JOIN project_project project ON project.id = line.project_id
                 WHERE record.company_id = %s AND record.source = %s
                   AND record.fingerprint = ANY(%s)
                 GROUP BY 1, 2, 3, 4
                """,
                batch.company_id.id,
                batch.source,
                keys[start : start + REPORT_CHUNK],
            )
        )
    names = {
        model: {
            record.id: record.display_name if model != "hr.employee" else record.name
            for record in env[model].sudo().browse({row[at] for row in sums} - {None})
        }
        for model, at in (("res.partner", 1), ("project.project", 2),
                          ("hr.employee", 3))
    }  # fmt: skip
    totals = report.Totals()
    for month, partner, project, person, hours, billable, amount, cost in sums:
        totals.add_sums(
            month,
            names["res.partner"].get(partner, ""),
            names["project.project"].get(project, ""),
            names["hr.employee"].get(person, ""),
            hours or 0.0,
            billable or 0.0,
            amount,
            cost,
        )
    return totals


def rollback(batch):
    """Remove exactly what the batch created; refuse, naming the entries,
    when something downstream used them."""
    records = batch.record_ids.sudo()
    lines = records.line_id
    blockers = batch._agency_rollback_blockers(lines)
    if blockers:
        raise UserError(
            batch.env._(
                "Batch %(batch)s cannot be rolled back: %(why)s. Credit or "
                "cancel what billed them first.",
                batch=batch.name,
                why=blockers,
            )
        )
    created = [
        (record.res_model, record.res_id) for record in records if record.res_model
    ]
    batch._agency_before_rollback(lines)
    if lines:
        # entries of the batch: removed whatever their state (an
        # administrator's undo of an import, audited by unlink); their
        # import records go with them (ondelete cascade)
        lines.sudo().unlink()
    kept = []
    for model in ROLLBACK_ORDER:
        for res_id in [res_id for name, res_id in created if name == model]:
            target = batch.env[model].sudo().browse(res_id).exists()
            if not target:
                continue
            if _still_used(target):
                kept.append(target.display_name)
                continue
            target.unlink()
    mappings = batch.template_id.mapping_ids.filtered(
        lambda line: (
            line.res_model
            and line.res_id
            and not batch.env[line.res_model].sudo().browse(line.res_id).exists()
        )
    )
    mappings.write({"action": "create", "res_id": False})
    records.exists().unlink()
    batch.write(
        {
            "state": "rolled_back",
            "message": batch.env._("Kept (used since): %s", ", ".join(kept))
            if kept
            else False,
        }
    )
    batch.env["agency.audit"]._log_operation(
        "rollback",
        batch,
        before=batch.env._("%s entries", len(lines)),
        after=batch.env._("removed; kept (used since): %s", len(kept)),
        reason=batch.filename or batch.name,
    )


# What uses a record an import created: (model, field) pairs.
USES = {
    "project.task": (("account.analytic.line", "task_id"),),
    "project.project": (
        ("account.analytic.line", "project_id"),
        ("project.task", "project_id"),
    ),
    "hr.employee": (("account.analytic.line", "employee_id"),),
    "agency.role": (
        ("account.analytic.line", "role_id"),
        ("hr.employee", "role_id"),
    ),
    "res.partner": (("project.project", "partner_id"),),
}


def _still_used(record):
    """Whether something the batch did not create uses this record now (the
    batch's own entries are gone by then)."""
    return any(
        record.env[model]
        .sudo()
        .with_context(active_test=False)
        .search_count([(field, "=", record.id)], limit=1)
        for model, field in USES[record._name]
    )
