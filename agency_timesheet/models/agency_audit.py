"""The audit log: the one append-only record of the sensitive operations of the
three add-ons (changes to submitted, approved or locked entries, approvals,
re-rates, overrides of the lock date, rate lines, engagement terms, billing
decisions, imports and rollbacks, exports of money data, lock dates, the
membership of the Billing and Administrator groups, retention purges).

Rows are written with :meth:`AgencyAudit._log` (one row per record and field),
:meth:`AgencyAudit._log_operation` (one row per operation on a batch) or
:meth:`AgencyAudit._log_states` (an approval batch: one row per company, or one
per entry with *Per-entry audit detail*, audit_batches.py), as
the superuser whoever makes the change, and can then be read by Billing and
Administrators, and changed or deleted by nobody: no ACL grants write or
unlink, the ORM refuses both even to the superuser, and a database trigger
(:func:`APPEND_ONLY_SQL`) refuses UPDATE and DELETE in SQL too, except the
retention purge (``agency.audit_purge`` set locally in its transaction) and
the foreign keys' ``SET NULL`` when an entry or a user is deleted.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import audit_batches, xlsx
from ..entry_guards import PROTECTED_FIELDS

# What the audit log records of a submitted, approved or locked entry: its
# content and its status (who and when are the audit row's own).
STATE_FIELDS = {"approval_state", "reject_reason"}
AUDITED_FIELDS = PROTECTED_FIELDS | STATE_FIELDS


class AgencyAudit(models.Model):
    _name = "agency.audit"
    _description = "Agency Audit Log"
    _order = "id desc"
    _rec_name = "summary"

    create_date = fields.Datetime(string="When", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Who",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record", required=True, readonly=True, index=True)
    line_id = fields.Many2one(
        "account.analytic.line",
        string="Timesheet Entry",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    entry_ids = fields.Many2many(
        "account.analytic.line",
        string="Timesheet Entries",
        compute="_compute_entry_ids",
        search="_search_entry_ids",
        help="The entries the row is about: its entry, or every entry of an "
        "approval batch (one row for the whole batch unless the company asks for "
        "per-entry detail).",
    )
    operation = fields.Selection(
        [
            ("create", "Created"),
            ("write", "Changed"),
            ("unlink", "Deleted"),
            ("state", "Status change"),
            ("rerate", "Re-rated"),
            ("invoice", "Invoicing"),
            ("override", "Lock override"),
            ("rate", "Rate line"),
            ("terms", "Engagement terms"),
            ("decision", "Billing decision"),
            ("lock", "Lock date"),
            ("import", "Import"),
            ("rollback", "Import rollback"),
            ("export", "Export"),
            ("membership", "Group membership"),
            ("setting", "Audit setting"),
            ("purge", "Retention purge"),
        ],
        required=True,
        readonly=True,
    )
    res_name = fields.Char(string="Record Name", readonly=True)
    record_count = fields.Integer(
        string="Records", readonly=True, help="How many records the operation touched."
    )
    subject_user_id = fields.Many2one(
        "res.users",
        string="About",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The person the row is about (a group membership, a personal export).",
    )
    field_name = fields.Char(string="Field", readonly=True)
    field_label = fields.Char(readonly=True)
    old_value = fields.Char(string="Before", readonly=True)
    new_value = fields.Char(string="After", readonly=True)
    reason = fields.Text(readonly=True)
    summary = fields.Char(compute="_compute_summary")

    @api.depends("operation", "field_label", "old_value", "new_value")
    def _compute_summary(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for row in self:
            text = labels.get(row.operation, row.operation or "")
            if row.field_label:
                old, new = row.old_value or "∅", row.new_value or "∅"
                text += f" {row.field_label}: {old} → {new}"
            row.summary = text

    def _compute_entry_ids(self):
        batches = audit_batches.batch_ids(self.env, self._ids_stored())
        Lines = self.env["account.analytic.line"]
        for row in self:
            ids = batches.get(row.id)
            row.entry_ids = row.line_id if ids is None else Lines.browse(ids)

    def _ids_stored(self):
        return [row_id for row_id in self.ids if isinstance(row_id, int)]

    def _search_entry_ids(self, operator, value):
        negative = operator in ("!=", "not in", "not ilike", "not like")
        positive = {"!=": "=", "not in": "in", "not ilike": "ilike"}.get(
            operator, operator
        )
        values = value if isinstance(value, list | tuple) else [value]
        if positive in ("=", "in") and all(isinstance(v, int) for v in values):
            ids = [v for v in values if v]
        else:  # a name typed in the search box
            Lines = self.env["account.analytic.line"].with_context(active_test=False)
            ids = Lines.search([("name", positive, value)]).ids
        return [
            ("id", "not in" if negative else "in", audit_batches.rows_touching(ids))
        ]

    @api.private
    def init(self):
        # the batch rows' int[] column and its GIN index (audit_batches.py),
        # then the trigger (APPEND_ONLY_SQL below), created again on every update
        self.env.cr.execute(audit_batches.COLUMN_SQL)
        self.env.cr.execute(APPEND_ONLY_SQL)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Audit rows are written by the system only, never by hand.")
            )
        rows = super().create(vals_list)
        # create() caches every x2many of new records as empty: entry_ids is
        # computed from line_id and the batch column, read when asked
        rows.invalidate_recordset(["entry_ids"])
        return rows

    def write(self, vals):
        if self:
            self.check_access("write")  # nobody has the right: an access error
            raise UserError(self.env._("The audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            self.check_access("unlink")
            raise UserError(self.env._("The audit log cannot be deleted."))
        return super().unlink()

    def action_export_xlsx(self):
        """The selected rows (all the readable rows without a selection) as a
        spreadsheet; the export itself is audited."""
        rows = self or self.search([])
        data = xlsx.workbook([(self.env._("Audit"), *audit_table(rows))])
        self._log_operation(
            "export",
            rows,
            reason=self.env._("Audit log exported (%s rows)", len(rows)),
        )
        return xlsx.download(self.env.user, self.env._("Audit log.xlsx"), data)

    def action_open_entries(self):
        """The entries of this row (an approval batch: all of them)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_timesheet.timesheet_action_all"
        )
        return dict(
            action,
            name=self.env._("Entries of %s", self.summary),
            domain=[("id", "in", self.entry_ids.ids)],
            context={"active_test": False, "create": False},
        )

    @api.model
    def _entries_before(self, lines, vals):
        """{entry id: {field: value before}} of the fields of vals the log
        records, for the entries of lines whose change it records (submitted,
        approved or locked ones); empty when there are none."""
        names = [name for name in vals if name in AUDITED_FIELDS]
        if not names:
            return {}
        audited = lines.filtered(
            lambda line: (
                line.agency_locked or line.approval_state in ("submitted", "approved")
            )
        )
        return {line.id: {name: line[name] for name in names} for line in audited}

    @api.model
    def _log_entry_changes(self, lines, before, vals):
        """The rows of a write of vals on the entries of lines, whose values
        were `before` (:meth:`_entries_before`): a lock override for locked
        entries, a change (or a status change) for the others."""
        changes = {}
        for line in lines:
            rows = [
                (name, old, line[name])
                for name, old in before.get(line.id, {}).items()
                if old != line[name]
            ]
            if rows:
                changes[line.id] = rows
        if not changes:
            return
        changed = lines.browse(list(changes))
        locked = changed.filtered("agency_locked")
        # Text only: the reason a caller gives for their own change, written
        # beside who made it and what changed. It opens nothing (every check
        # ran without it), so a client may send it.
        reason = self.env.context.get("agency_reason")
        if locked:
            self._log(
                locked,
                "override",
                {line_id: changes[line_id] for line_id in locked.ids},
                reason=reason or self.env._("Changed on or before the lock date"),
            )
        rest = changed - locked
        if rest:
            self._log(
                rest,
                "state" if set(vals) <= STATE_FIELDS else "write",
                {line_id: changes[line_id] for line_id in rest.ids},
                reason=reason,
            )

    @api.model
    def _log_states(self, lines, old_states, new_state, reason=None):
        """The status rows of a batch of timesheet entries moved to new_state
        (old_states: theirs before, in the order of lines): one row per company
        whatever the number of entries (audit_batches.py), or one row per entry
        for the companies that ask for per-entry detail; two queries at most."""
        if not lines:
            return
        self.flush_model()
        label = _state_labels(self.env)
        by_company = _by_company(lines, old_states)
        detailed = lines.company_id.sudo().filtered("agency_audit_per_entry")
        audit_batches.insert_batches(
            self.env,
            [
                (company_id, ids, olds, _batch_name(lines.browse(ids)))
                for company_id, (ids, olds) in by_company.items()
                if company_id not in detailed.ids
            ],
            new_state,
            label,
            reason,
        )
        detail_ids, detail_olds = [], []
        for company_id in detailed.ids:
            detail_ids += by_company[company_id][0]
            detail_olds += by_company[company_id][1]
        if not detail_ids:
            return
        # SQL: one INSERT for the batch (create() sends one per hundred rows).
        # No field of another record depends on audit rows: nothing to mark
        # modified, and no cache holds them yet.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO agency_audit
                    (create_date, create_uid, write_date, write_uid, user_id,
                     company_id, res_model, res_id, line_id, operation, field_name,
                     field_label, old_value, new_value, reason)
                SELECT now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC',
                       %(uid)s, %(uid)s, line.company_id, 'account.analytic.line',
                       line.id, line.id, 'state', 'approval_state', %(label)s,
                       old.state, %(new)s, %(reason)s
                  FROM unnest(%(ids)s::int[], %(olds)s::varchar[]) AS old(id, state)
                  JOIN account_analytic_line line ON line.id = old.id
                """,
                uid=self.env.uid,
                label=label,
                new=new_state,
                reason=reason,
                ids=detail_ids,
                olds=detail_olds,
            )
        )

    @api.model
    def _log(self, records, operation, changes=None, reason=None):
        """Append audit rows for records.

        :param records: the records changed (any model)
        :param operation: one of the operation keys
        :param changes: {record id: [(field name, old, new), ...]}; without it, one
            row per record with no field
        :param reason: why, in the user's words
        """
        is_line = records._name == "account.analytic.line"
        labels = {}
        vals_list = []
        for record in records:
            company = record.company_id if "company_id" in record._fields else None
            base = {
                "user_id": self.env.uid,
                "company_id": (company or self.env.company).id,
                "res_model": records._name,
                "res_id": record.id,
                "line_id": record.id if is_line else False,
                "operation": operation,
                "reason": reason or False,
            }
            rows = (changes or {}).get(record.id)
            if not rows:
                vals_list.append(base)
                continue
            for name, old, new in rows:
                if name not in labels:
                    field = records._fields.get(name)
                    labels[name] = (
                        field._description_string(self.env) if field else name
                    )
                vals_list.append(
                    dict(
                        base,
                        field_name=name,
                        field_label=labels[name],
                        old_value=_as_text(old),
                        new_value=_as_text(new),
                    )
                )
        return self.sudo().create(vals_list)

    @api.model
    def _log_operation(
        self,
        operation,
        records,
        before=None,
        after=None,
        reason=None,
        subject=None,
        field_name=None,
    ):
        """Append one row for one operation on a batch of records (never one per
        record): what was done, to how many records, before and after as text.

        :param records: the records of one model the operation touched (may be
            empty: an export of a screen)
        :param before: the values before, as text or a mapping shown as text
        :param after: the values after, likewise
        :param subject: the res.users the row is about, if any
        """
        names = records[:3].sudo().mapped("display_name") if records else []
        if len(records) > 3:
            names.append(self.env._("%s more", len(records) - 3))
        company = (
            records[:1].company_id
            if records and "company_id" in records._fields
            else None
        )
        return (
            self.sudo()
            .with_context(tracking_disable=True)
            .create(
                {
                    "user_id": self.env.uid,
                    "company_id": (company or self.env.company).id,
                    "res_model": records._name,
                    "res_id": records[:1].id or 0,
                    "res_name": ", ".join(names) or False,
                    "record_count": len(records),
                    "subject_user_id": subject.id if subject else False,
                    "line_id": records[:1].id
                    if records._name == "account.analytic.line"
                    else False,
                    "operation": operation,
                    "field_name": field_name or False,
                    "old_value": _as_text(before),
                    "new_value": _as_text(after),
                    "reason": reason or False,
                }
            )
        )

    @api.model
    def _snapshot(self, records, names):
        """{record id: {field: value as text}} of the fields names that records
        have, to compare after a write (:meth:`_log_snapshot_changes`)."""
        names = [name for name in names if name in records._fields]
        return {
            record.id: {name: _as_text(record[name]) for name in names}
            for record in records
        }

    @api.model
    def _log_created(self, operation, records, names, reason):
        """One row for records just created: their fields names as 'after'."""
        return self._log_operation(
            operation, records, after=self._snapshot_text(records, names), reason=reason
        )

    @api.model
    def _snapshot_text(self, records, names):
        """'record: field value; ...' lines of records' fields names."""
        snap = self._snapshot(records, names)
        return "\n".join(
            _fields_text(
                record,
                record.sudo().display_name,
                list(snap[record.id]),
                snap[record.id],
            )
            for record in records
        )

    @api.model
    def _log_snapshot_changes(self, operation, records, before, reason=None):
        """One row for the records whose fields of the snapshot `before` changed,
        before and after as 'record: field value' lines (nothing when none)."""
        records = records.exists()
        after = self._snapshot(records, {n for old in before.values() for n in old})
        olds, news, changed = [], [], records.browse()
        for record in records:
            old = before.get(record.id, {})
            new = after.get(record.id, {})
            diff = [name for name in old if old[name] != new.get(name)]
            if not diff:
                continue
            changed |= record
            label = record.sudo().display_name
            olds.append(_fields_text(record, label, diff, old))
            news.append(_fields_text(record, label, diff, new))
        if changed:
            self._log_operation(
                operation, changed, "\n".join(olds), "\n".join(news), reason=reason
            )


# The trigger that keeps the table append-only in SQL (Odoo's init(): created
# on install and on every update). UPDATE passes only when it sets line_id or
# subject_user_id to NULL and changes nothing else (the foreign keys' ON DELETE
# SET NULL); DELETE only with agency.audit_purge = 'on', which only the
# retention purge sets, with SET LOCAL, inside its own transaction.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION agency_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('agency.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'line_id' - 'subject_user_id')
           = (to_jsonb(OLD) - 'line_id' - 'subject_user_id')
       AND (NEW.line_id IS NULL OR NEW.line_id = OLD.line_id)
       AND (NEW.subject_user_id IS NULL
            OR NEW.subject_user_id = OLD.subject_user_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The agency audit log is append-only: % of row % refused.',
        TG_OP, OLD.id USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS agency_audit_append_only ON agency_audit;
CREATE TRIGGER agency_audit_append_only
    BEFORE UPDATE OR DELETE ON agency_audit
    FOR EACH ROW EXECUTE FUNCTION agency_audit_append_only();
"""


def _fields_text(record, label, names, values):
    parts = []
    for name in names:
        field = record._fields[name]
        parts.append(f"{field.string}: {values.get(name) or '∅'}")
    return f"{label}: " + "; ".join(parts)


def _by_company(lines, old_states):
    """{company id: ([entry ids], [old states])} of lines, in their order."""
    companies = lines.company_id
    if len(companies) == 1:
        return {companies.id: (lines.ids, list(old_states))}
    by_company = {}
    for line, old in zip(lines, old_states, strict=True):
        ids, olds = by_company.setdefault(line.company_id.id, ([], []))
        ids.append(line.id)
        olds.append(old)
    return by_company


def _batch_name(lines):
    """'3 entries: Dani Costa, 2026-03-02, 2 h on Acme, ... and 1 more' (the
    first two named, read for those two only)."""
    named = lines.browse(lines.ids[:2])._agency_describe(limit=2)
    if len(lines) == 1:
        return named
    if len(lines) > 2:
        named += lines.env._(" and %(count)s more", count=len(lines) - 2)
    return lines.env._("%(count)s entries: %(names)s", count=len(lines), names=named)


def audit_table(rows, entries=None):
    """(header, rows) of audit rows for a spreadsheet; the entry ids of each
    row (a batch row: all of them, or only those of `entries` when given,
    e.g. one person's)."""
    labels = dict(rows._fields["operation"]._description_selection(rows.env))
    header = [
        "When",
        "Who",
        "Operation",
        "Model",
        "Record",
        "Record name",
        "Records",
        "Entry ids",
        "About",
        "Field",
        "Before",
        "After",
        "Reason",
    ]
    body = [
        (
            row.create_date,
            row.user_id.name,
            labels.get(row.operation, row.operation),
            row.res_model,
            row.res_id,
            row.res_name,
            row.record_count,
            _ids_text(row.entry_ids, entries),
            row.subject_user_id.name,
            row.field_label or row.field_name,
            row.old_value,
            row.new_value,
            row.reason,
        )
        for row in rows
    ]
    return header, body


def _ids_text(lines, entries=None):
    ids = lines.ids if entries is None else (lines & entries).ids
    return " ".join(str(line_id) for line_id in ids) or None


def _state_labels(env):
    field = env["account.analytic.line"]._fields["approval_state"]
    return field._description_string(env)


def _as_text(value):
    """A readable text for a field value: records by name, False as empty."""
    if isinstance(value, models.BaseModel):
        return ", ".join(value.sudo().mapped("display_name")) or False
    if value is False or value is None:
        return False
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_as_text(val) or '∅'}" for key, val in value.items())
    return str(value)
