"""The audit log: an append-only record of changes that finance must be able to
trust (changes to submitted, approved or locked entries, re-rates, overrides of
the lock date).

Rows are written with :meth:`AgencyAudit._log` (as the superuser, whoever makes
the change) and can then be read by Billing and Administrators, and changed or
deleted by nobody: no ACL grants write or unlink, and the ORM refuses both even
to the superuser.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
    operation = fields.Selection(
        [
            ("create", "Created"),
            ("write", "Changed"),
            ("unlink", "Deleted"),
            ("state", "Status change"),
            ("rerate", "Re-rated"),
            ("invoice", "Invoicing"),
            ("override", "Lock override"),
        ],
        required=True,
        readonly=True,
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Audit rows are written by the system only, never by hand.")
            )
        return super().create(vals_list)

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
        """One 'status change' row per timesheet entry, in a single query."""
        if not lines:
            return
        self.flush_model()
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
                label=_state_labels(self.env),
                new=new_state,
                reason=reason,
                ids=lines.ids,
                olds=old_states,
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


def _state_labels(env):
    field = env["account.analytic.line"]._fields["approval_state"]
    return field._description_string(env)


def _as_text(value):
    """A readable text for a field value: records by name, False as empty."""
    if isinstance(value, models.BaseModel):
        return ", ".join(value.sudo().mapped("display_name")) or False
    if value is False or value is None:
        return False
    return str(value)
