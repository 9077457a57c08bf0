"""Rate cards brought along: proposed rate lines, reviewed before they are
created.

Two starting points: a rate-card CSV of the agency's own (client, project,
role, person, bill rate, cost rate, currency, from, to), which Billing may
import; or the history an import batch brought (the rates its rows were
billed at), which only Administrators read. Either way the lines are
proposals: the user unticks or corrects them, then creates them in one go
(agency.rate's own rules refuse overlaps, and then nothing is created).
"""

import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.agency_timesheet.importing import matching, rate_cards
from odoo.addons.agency_timesheet.importing.reader import FileError, Question

ADMIN = "agency_timesheet.group_agency_admin"
BILLING = "agency_timesheet.group_agency_billing"


class AgencyRateImport(models.TransientModel):
    _name = "agency.rate.import"
    _description = "Import rate cards"

    origin = fields.Selection(
        [("file", "A rate-card CSV"), ("history", "An import batch's history")],
        required=True,
        default="file",
    )
    file = fields.Binary()
    filename = fields.Char()
    batch_id = fields.Many2one(
        "agency.import.batch", help="Administrators: the imported history to read."
    )
    date_format = fields.Selection(
        [("iso", "YYYY-MM-DD"), ("mdy", "MM/DD/YYYY"), ("dmy", "DD/MM/YYYY"),
         ("dmy_dot", "DD.MM.YYYY")]
    )  # fmt: skip
    decimal_mark = fields.Selection([(".", "1.5 (point)"), (",", "1,5 (comma)")])
    message = fields.Text(readonly=True)
    rejected = fields.Text(readonly=True, help="The rows not proposed, and why.")
    line_ids = fields.One2many("agency.rate.import.line", "wizard_id")

    def _check_rights(self):
        user = self.env.user
        if not (user.has_group(BILLING) or user.has_group(ADMIN)):
            raise AccessError(
                self.env._("Only Billing and Administrators import rates.")
            )
        if self.origin == "history" and not user.has_group(ADMIN):
            raise AccessError(
                self.env._("Only Administrators read an import batch's history.")
            )

    def action_propose(self):
        """Fill the proposed lines (nothing is created yet)."""
        self.ensure_one()
        self._check_rights()
        self.line_ids.unlink()
        self.write({"message": False, "rejected": False})
        if self.origin == "history":
            values = self._from_history()
        else:
            values = self._from_file()
        self.line_ids = [(0, 0, vals) for vals in values]
        return self._reopen()

    def _from_file(self):
        if not self.file:
            raise UserError(self.env._("Upload the rate card first."))
        try:
            rows, rejects = rate_cards.read_rate_card(
                base64.b64decode(self.file),
                date_format=self.date_format,
                decimal_mark=self.decimal_mark,
            )
        except Question as question:
            self.message = str(question)
            return []
        except FileError as error:
            raise UserError(str(error)) from error
        values, problems = (
            [],
            [f"line {r.line}, {r.column} {r.value!r}: {r.reason}" for r in rejects],
        )
        for row in rows:
            try:
                values.append(self._resolve(row))
            except UserError as error:
                problems.append(f"line {row.line}: {error}")
        self.rejected = "\n".join(problems) or False
        return values

    def _find(self, model, name, extra=()):
        if not name:
            return self.env[model]
        Model = self.env[model].with_context(active_test=False)
        first = matching.name_key(name).split(" ")[0]
        candidates = Model.search([("name", "ilike", first), *extra], limit=50)
        found = matching.best_match(name, {rec.name: rec for rec in candidates})
        if model == "agency.role" and not found:
            found = Model.search([("code", "=ilike", name.strip())], limit=1)
        if model == "hr.employee" and not found and "@" in name:
            found = Model.search([("work_email", "=ilike", name.strip())], limit=1)
        if not found:
            raise UserError(
                self.env._(
                    "no %(what)s named %(name)r in Odoo",
                    what=Model._description,
                    name=name,
                )
            )
        return found

    def _resolve(self, row):
        company = self.env.company
        scoped = [("company_id", "in", (False, company.id))]
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", row.currency)], limit=1)
        )
        if not currency:
            raise UserError(self.env._("unknown currency %s", row.currency))
        return {
            "partner_id": self._find("res.partner", row.client).id,
            "project_id": self._find("project.project", row.project, scoped).id,
            "role_id": self._find("agency.role", row.role, scoped).id,
            "employee_id": self._find("hr.employee", row.person, scoped).id,
            "date_from": row.date_from,
            "date_to": row.date_to,
            "bill_rate": row.bill_rate,
            "cost_rate": row.cost_rate,
            "currency_id": currency.id,
            "note": self.env._("Rate card %(file)s, line %(line)s",
                               file=self.filename or "", line=row.line),
        }  # fmt: skip

    def _from_history(self):
        if not self.batch_id:
            raise UserError(self.env._("Choose the import batch to read."))
        records = self.batch_id.sudo().record_ids.filtered(
            lambda record: record.line_id and record.currency_id
        )
        observations = [
            rate_cards.Observation(
                project=record.line_id.project_id,
                person=record.line_id.employee_id,
                day=record.line_id.date,
                bill_rate=record.bill_rate,
                cost_rate=record.cost_rate,
                currency=record.currency_id,
            )
            for record in records
        ]
        if not observations:
            self.message = self.env._(
                "Batch %s has no billable rates to propose.", self.batch_id.name
            )
        return [
            {
                "project_id": proposal["project"].id,
                "employee_id": proposal["person"].id if proposal["person"] else False,
                "date_from": proposal["date_from"],
                "date_to": proposal["date_to"],
                "bill_rate": proposal["bill_rate"],
                "cost_rate": proposal["cost_rate"],
                "currency_id": proposal["currency"].id,
                "note": self.env._("History of %s", self.batch_id.name),
            }
            for proposal in rate_cards.propose_rates(observations)
        ]

    def action_create(self):
        """Create the ticked lines, all or none."""
        self.ensure_one()
        self._check_rights()
        chosen = self.line_ids.filtered("selected")
        if not chosen:
            raise UserError(self.env._("Tick the proposed lines to create."))
        rates = self.env["agency.rate"].create([line._rate_values() for line in chosen])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported rate lines"),
            "res_model": "agency.rate",
            "view_mode": "list,form",
            "domain": [("id", "in", rates.ids)],
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class AgencyRateImportLine(models.TransientModel):
    _name = "agency.rate.import.line"
    _description = "Proposed rate line"

    wizard_id = fields.Many2one("agency.rate.import", required=True, ondelete="cascade")
    selected = fields.Boolean(string="Create", default=True)
    partner_id = fields.Many2one("res.partner", string="Client")
    project_id = fields.Many2one("project.project")
    role_id = fields.Many2one("agency.role")
    employee_id = fields.Many2one("hr.employee", string="Person")
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid To")
    currency_id = fields.Many2one("res.currency", required=True)
    bill_rate = fields.Monetary(currency_field="currency_id")
    cost_rate = fields.Monetary(currency_field="currency_id")
    note = fields.Char()

    @api.model
    def _fields_for_rate(self):
        return ("partner_id", "project_id", "role_id", "employee_id", "date_from",
                "date_to", "currency_id", "bill_rate", "cost_rate", "note")  # fmt: skip

    def _rate_values(self):
        self.ensure_one()
        values = {}
        for name in self._fields_for_rate():
            value = self[name]
            values[name] = value.id if isinstance(value, models.BaseModel) else value
        return values
