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
