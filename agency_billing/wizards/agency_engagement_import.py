"""Engagements from invoiced history: proposed from an import batch, reviewed
before they are created.

The rows of a batch that the old tool had invoiced (imported *invoiced
outside Odoo*, agency_import_batch.py) show which clients were billed time
and materials on which projects. For each client and project
(models/engagement_history.py) a time-and-materials engagement is proposed,
starting on the first invoiced day, with the hours and the amount invoiced
for the reviewer to compare; projects that already have an engagement, and
rows without a client, are listed apart. The user unticks or corrects the
lines, then creates them in one go: the engagements, each linked to its
project (nothing is created when one of them is refused). Administrators
only: it reads an import batch's history, as the rates from history do.
"""

from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.engagement_history import Invoiced, propose_engagements
from .proposals import created_action, plain_values, reopen

ADMIN = "agency_timesheet.group_agency_admin"


class AgencyEngagementImport(models.TransientModel):
    _name = "agency.engagement.import"
    _description = "Engagements from invoiced history"

    batch_id = fields.Many2one(
        "agency.import.batch",
        string="Import Batch",
        help="The imported history whose invoiced rows propose the engagements.",
    )
    message = fields.Text(readonly=True)
    rejected = fields.Text(readonly=True, help="What is not proposed, and why.")
    line_ids = fields.One2many("agency.engagement.import.line", "wizard_id")

    def _check_rights(self):
        if not self.env.user.has_group(ADMIN):
            raise AccessError(
                self.env._(
                    "Only Agency administrators propose engagements from an "
                    "import batch's history."
                )
            )

    def action_propose(self):
        """Fill the proposed engagements (nothing is created yet)."""
        self.ensure_one()
        self._check_rights()
        if not self.batch_id:
            raise UserError(self.env._("Choose the import batch to read."))
        self.line_ids.unlink()
        values, problems = self._proposals()
        self.write(
            {
                "line_ids": [(0, 0, vals) for vals in values],
                "rejected": "\n".join(problems) or False,
                "message": False
                if values
                else self.env._(
                    "Batch %s has no invoiced rows to propose engagements from "
                    "(only rows the old tool marked invoiced do).",
                    self.batch_id.name,
                ),
            }
        )
        return self._reopen()

    def _proposals(self):
        batch = self.batch_id.sudo()
        records = batch.record_ids.filtered(
            lambda record: record.line_id.agency_invoiced_outside
        )
        rows = [
            Invoiced(
                client=record.line_id.project_id.partner_id.commercial_partner_id,
                project=record.line_id.project_id,
                day=record.line_id.date,
                hours=record.line_id.unit_amount,
                amount=record.billable_amount,
                currency=record.currency_id or None,
            )
            for record in records
        ]
        proposals, without_client = propose_engagements(rows)
        problems = [
            self.env._(
                "%(project)s: no client, %(count)s invoiced rows (an engagement "
                "invoices a client: give the project one, then propose again)",
                project=project.display_name,
                count=len([r for r in without_client if r.project == project]),
            )
            for project in dict.fromkeys(r.project for r in without_client)
        ]
        values = []
        for proposal in proposals:
            project = proposal["project"]
            if project.agency_engagement_id:
                problems.append(
                    self.env._(
                        "%(project)s already has engagement %(engagement)s",
                        project=project.display_name,
                        engagement=project.agency_engagement_id.display_name,
                    )
                )
                continue
            currency = proposal["currency"] or self.env.company.currency_id
            note = self.env._(
                "From the invoiced history of %(batch)s: %(hours)s h invoiced from "
                "%(first)s to %(last)s.",
                batch=batch.name,
                hours=proposal["hours"],
                first=proposal["date_start"],
                last=proposal["last_day"],
            )
            if proposal["other_currencies"]:
                note += " " + self.env._("Invoiced in other currencies too.")
            values.append(
                {
                    "partner_id": proposal["client"].id,
                    "project_id": project.id,
                    "name": self.env._("%s (time & materials)", project.name),
                    "date_start": proposal["date_start"],
                    "last_invoiced": proposal["last_day"],
                    "hours": proposal["hours"],
                    "amount": proposal["amount"],
                    "currency_id": currency.id,
                    "note": note,
                }
            )
        return values, problems

    def action_create(self):
        """Create the ticked engagements and link their projects, all or
        none."""
        self.ensure_one()
        self._check_rights()
        chosen = self.line_ids.filtered("selected")
        if not chosen:
            raise UserError(self.env._("Tick the proposed engagements to create."))
        taken = chosen.project_id.filtered("agency_engagement_id")
        if taken:
            raise UserError(
                self.env._(
                    "%(projects)s have an engagement since the proposal: untick "
                    "them, or propose again. Nothing was created.",
                    projects=", ".join(taken.mapped("display_name")),
                )
            )
        counts = Counter(line.project_id for line in chosen)
        twice = [project for project, count in counts.items() if count > 1]
        if twice:
            raise UserError(
                self.env._(
                    "%(projects)s are ticked twice: a project belongs to one "
                    "engagement. Untick one line of each; nothing was created.",
                    projects=", ".join(p.display_name for p in twice),
                )
            )
        Engagement = self.env["agency.engagement"]
        engagements = Engagement.create([line._engagement_values() for line in chosen])
        for line, engagement in zip(chosen, engagements, strict=True):
            # linking a project is a project write (Project administrators);
            # the caller is an Agency administrator, checked above
            line.project_id.sudo().agency_engagement_id = engagement
        return created_action(self.env._("Engagements from history"), engagements)

    def _reopen(self):
        return reopen(self)


class AgencyEngagementImportLine(models.TransientModel):
    _name = "agency.engagement.import.line"
    _description = "Proposed engagement"

    wizard_id = fields.Many2one(
        "agency.engagement.import", required=True, ondelete="cascade"
    )
    selected = fields.Boolean(string="Create", default=True)
    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    project_id = fields.Many2one("project.project", required=True)
    date_start = fields.Date(string="Start")
    last_invoiced = fields.Date(
        readonly=True, help="The last invoiced day in the file."
    )
    hours = fields.Float(string="Hours Invoiced", readonly=True)
    currency_id = fields.Many2one("res.currency", required=True)
    amount = fields.Monetary(
        string="Amount Invoiced", currency_field="currency_id", readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Billing Owner",
        required=True,
        default=lambda self: self.env.user,
    )
    note = fields.Char()

    @api.model
    def _engagement_fields(self):
        return ("name", "partner_id", "date_start", "currency_id", "user_id")

    def _engagement_values(self):
        self.ensure_one()
        return {
            "kind": "time_materials",
            "note": self.note or False,
            **plain_values(self, self._engagement_fields()),
        }
