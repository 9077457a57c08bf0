"""Billing runs: the pre-billing review, from approved time to draft invoices.

A run covers a period (up to its end date) and a set of engagements, or the
engagements of a set of clients:

1. ``action_collect`` takes the approved, un-invoiced entries of their projects
   (held by no other run) and rounds each one by its engagement's policy;
2. ``action_check`` runs the checks: each has a severity and an owner;
3. owners fix, exclude entries (with a reason), adjust (write-ups and
   write-downs) and mark their engagement reviewed;
4. ``action_create_invoices`` creates one native draft customer invoice per
   reviewed engagement; accountants finish and post it in Odoo's Invoicing.

An entry is held by at most one run, and invoiced at most once: collecting
updates only entries no run holds, invoicing locks the entries (``FOR NO KEY
UPDATE NOWAIT``) and takes only those not invoiced yet. The unit of invoicing is the
engagement: each engagement's invoice is made inside a savepoint, so a failure
leaves that engagement entirely un-invoiced (with the error on its row) and the
others invoiced. (All the invoices are first created together, in one savepoint,
which is faster; when that fails, they are made again one by one.)
"""

from collections import defaultdict
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round
from odoo.tools.misc import format_date

from .billing_status import NOT_INVOICED_DOMAIN, approved_sql, not_invoiced_sql
from .collect_multipliers import multiply_rows, needs, sql_columns
from .collect_rounding import round_rows
from .server_fields import check_server_fields

# Set by Collect, Create Invoices and Cancel only (server_fields.py).
RUN_SERVER_FIELDS = {"state"}

STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("done", "Invoiced"),
    ("cancel", "Cancelled"),
]


class AgencyBillingRun(models.Model):
    _name = "agency.billing.run"
    _description = "Agency Billing Run"
    _inherit = "mail.thread"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Run By", default=lambda self: self.env.user, tracking=True
    )
    date_from = fields.Date(
        string="From",
        help="Leave empty to collect every earlier entry not invoiced yet.",
    )
    date_to = fields.Date(
        string="Period End",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        ),
        help="Entries dated up to this day are collected (last month by default).",
        tracking=True,
    )
    invoice_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The date of the invoices, and of the currency rates that convert "
        "rates in another currency into the engagement's.",
    )
    engagement_ids = fields.Many2many(
        "agency.engagement",
        string="Engagements",
        check_company=True,
        help="The engagements to bill. With clients instead, all their active "
        "engagements.",
    )
    partner_ids = fields.Many2many("res.partner", string="Clients")
    state = fields.Selection(STATES, default="draft", required=True, tracking=True)
    line_ids = fields.One2many(
        "agency.billing.run.line", "run_id", string="Engagements in Run"
    )
    check_ids = fields.One2many("agency.billing.check", "run_id", string="Checks")
    adjustment_ids = fields.One2many(
        "agency.billing.adjustment", "run_id", string="Adjustments"
    )
    invoice_ids = fields.One2many("account.move", "agency_run_id", readonly=True)
    invoice_count = fields.Integer(compute="_compute_counts")
    entry_count = fields.Integer(compute="_compute_counts")
    blocking_count = fields.Integer(compute="_compute_counts")
    warning_count = fields.Integer(compute="_compute_counts")
    raw_hours = fields.Float(
        compute="_compute_counts", digits="Product Unit of Measure"
    )
    billed_hours = fields.Float(
        compute="_compute_counts", digits="Product Unit of Measure"
    )

    @api.depends(
        "line_ids.entry_count",
        "line_ids.raw_hours",
        "line_ids.billed_hours",
        "check_ids.state",
        "invoice_ids",
    )
    def _compute_counts(self):
        for run in self:
            run.entry_count = sum(run.line_ids.mapped("entry_count"))
            run.raw_hours = sum(run.line_ids.mapped("raw_hours"))
            run.billed_hours = sum(run.line_ids.mapped("billed_hours"))
            open_checks = run.check_ids.filtered(lambda c: c.state == "open")
            run.blocking_count = len(
                open_checks.filtered(lambda c: c.severity == "blocking")
            )
            run.warning_count = len(open_checks) - run.blocking_count
            run.invoice_count = len(run.invoice_ids)

    @api.model_create_multi
    def create(self, vals_list):
        check_server_fields(self, RUN_SERVER_FIELDS, vals_list, create=True)
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "agency.billing.run"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        check_server_fields(self, RUN_SERVER_FIELDS, [vals])
        return super().write(vals)

    def unlink(self):
        for run in self:
            if run.invoice_ids.filtered(lambda m: m.state != "cancel"):
                raise UserError(
                    self.env._(
                        "Billing run %(run)s has invoices: cancel it instead.",
                        run=run.name,
                    )
                )
        self.sudo()._agency_held_entries()._agency_free(reason=None)
        return super().unlink()

    def _agency_held_entries(self):
        """The entries the runs in self hold (invoiced or not)."""
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search([("agency_run_id", "in", self.ids)])
        )

    # -- scope --

    def _agency_engagements(self):
        self.ensure_one()
        engagements = self.engagement_ids
        if self.partner_ids:
            engagements |= self.env["agency.engagement"].search(
                [
                    (
                        "partner_id",
                        "in",
                        self.partner_ids.commercial_partner_id.ids,
                    ),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        if not engagements:
            raise UserError(
                self.env._(
                    "Billing run %(run)s has no engagement to bill: choose "
                    "engagements, or clients with engagements.",
                    run=self.name,
                )
            )
        return engagements

    def _agency_check_open(self):
        for run in self:
            if run.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "Billing run %(run)s is %(state)s: start a new run.",
                        run=run.name,
                        state=dict(STATES)[run.state].lower(),
                    )
                )

    # -- 1. collect --

    def action_collect(self):
        """Take the approved, un-invoiced entries of the run's engagements up
        to the period end, held by no other run, and round each one."""
        self._agency_check_open()
        for run in self:
            run._agency_collect()
        self.action_check()
        return True

    # Models that billing runs collect besides time: each has
    # _agency_collect(run, engagements) -> how many things it found to bill.
    _agency_collect_providers = (
        "agency.engagement.schedule",
        "agency.retainer.period",
        "hr.expense",
    )

    def _agency_collect(self):
        self.ensure_one()
        engagements = self._agency_engagements()
        timed = engagements.filtered(lambda e: e._agency_bills_time())
        # SQL: the candidates' values as tuples, ordered, for rounding in
        # Python; the UPDATE below takes them (a hot path: one query each).
        self.env["account.analytic.line"].flush_model()
        self.env["project.project"].flush_model(["agency_engagement_id"])
        self.env["account.move"].flush_model(["state"])
        extra, joins = sql_columns(needs(timed))
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, project.agency_engagement_id AS engagement_id,
                       line.unit_amount AS raw, line.agency_bill_rate AS bill_rate,
                       line.agency_rate_currency_id AS currency_id,
                       line.employee_id, line.task_id, line.project_id,
                       line.role_id, line.date, line.agency_rush AS rush,
                       line.agency_rate_id AS rate_id, %(extra)s
                  FROM account_analytic_line line
                  JOIN project_project project ON project.id = line.project_id
                  %(joins)s
                 WHERE project.agency_engagement_id = ANY(%(engagements)s)
                   AND %(approved)s
                   AND %(not_invoiced)s
                   AND (line.agency_run_id IS NULL
                        OR (line.agency_run_id = %(run)s
                            AND project.agency_engagement_id = ANY(%(regroup)s)))
                   AND line.so_line IS NULL
                   AND (line.agency_excluded_run_id IS NULL
                        OR line.agency_excluded_run_id != %(run)s)
                   AND line.date <= %(date_to)s
                   AND (%(date_from)s::date IS NULL OR line.date >= %(date_from)s)
                 ORDER BY line.id
                """,
                engagements=timed.ids,
                extra=extra,
                joins=joins,
                # entries rounded together: again with the ones the run holds
                regroup=timed.filtered(lambda e: e.rounding_scope != "entry").ids,
                not_invoiced=not_invoiced_sql("line"),
                approved=approved_sql(self.env, "line"),
                run=self.id,
                date_to=self.date_to,
                date_from=self.date_from or None,
            )
        )
        rows = self.env.cr.dictfetchall()
        held = (
            self.env["account.analytic.line"]
            .sudo()
            .search_count([("agency_run_id", "=", self.id)], limit=1)
        )
        others = sum(
            self.env[model]._agency_collect(self, engagements)
            for model in self._agency_collect_providers
        )
        if not rows and not held and not others:
            raise UserError(
                self.env._(
                    "Nothing to bill for %(engagements)s up to %(day)s: no approved "
                    "time, fee or expense due that is not invoiced yet (and held "
                    "by no other run). No invoice is made.",
                    engagements=", ".join(engagements.mapped("display_name")),
                    day=format_date(self.env, self.date_to),
                )
            )
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        multiplied = multiply_rows(timed, rows)
        for row in rows:
            row["factor"], row["multiplier"] = multiplied.get(row["id"], (1.0, None))
        billed = round_rows(timed, rows, digits)
        ids, hours, amounts, notes, factors, labels = [], [], [], [], [], []
        for row in rows:
            row_hours, note = billed[row["id"]]
            ids.append(row["id"])
            hours.append(row_hours)
            notes.append(note)
            factors.append(row["factor"])
            labels.append(row["multiplier"])
            rate = (row["bill_rate"] or 0.0) * row["factor"]
            amounts.append(float_round(float(row_hours) * rate, 6))
        if ids:
            # SQL: a bulk UPDATE that takes only entries no run holds: a
            # concurrent run that took them first makes this one fail
            # (serialisation) and try again without them.
            # One UPDATE for any number of entries (write() would send one per
            # distinct value).
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_analytic_line line
                       SET agency_run_id = %(run)s,
                           agency_billed_hours = v.hours,
                           agency_billed_amount = v.amount,
                           agency_rounding_note = v.note,
                           agency_multiplier = v.factor,
                           agency_multiplier_label = v.label,
                           agency_excluded_run_id = NULL,
                           agency_excluded_reason = NULL
                      FROM unnest(%(ids)s::int[], %(hours)s::numeric[],
                                  %(amounts)s::numeric[], %(notes)s::varchar[],
                                  %(factors)s::numeric[], %(labels)s::varchar[])
                           AS v(id, hours, amount, note, factor, label)
                     WHERE line.id = v.id
                       AND (line.agency_run_id IS NULL
                            OR line.agency_run_id = %(run)s)
                       AND %(not_invoiced)s
                 RETURNING line.id
                    """,
                    run=self.id,
                    ids=ids,
                    hours=[str(h) for h in hours],
                    amounts=amounts,
                    notes=notes,
                    factors=factors,
                    labels=labels,
                    not_invoiced=not_invoiced_sql("line"),
                )
            )
            taken = [row[0] for row in self.env.cr.fetchall()]
            self.env["account.analytic.line"].sudo().browse(taken)._agency_sql_written(
                {
                    "agency_run_id": self.id,
                    "agency_excluded_run_id": None,
                    "agency_excluded_reason": None,
                },
                also=[
                    "agency_billed_hours",
                    "agency_billed_amount",
                    "agency_rounding_note",
                    "agency_multiplier",
                    "agency_multiplier_label",
                ],
            )
        present = self.line_ids.engagement_id
        self.env["agency.billing.run.line"].create(
            [
                {"run_id": self.id, "engagement_id": engagement.id}
                for engagement in engagements - present
            ]
        )
        if self.state == "draft":
            self.sudo().state = "review"

    # -- 2. check --

    def action_check(self):
        """Run the checks again: open checks are replaced, warnings already
        acknowledged stay acknowledged while they say the same."""
        self._agency_check_open()
        for run in self:
            run._agency_refresh_prices()
            for line in run.line_ids.filtered(lambda x: x.state != "invoiced"):
                line.engagement_id._agency_record_overrun(line)
            run.env["agency.billing.check"]._agency_run_checks(run)
            run.line_ids._agency_refresh_totals()
        return True

    def _agency_refresh_prices(self):
        """Entries held without a price are priced with the cards as they are
        now (a rate line added since: 'fix and check again'), and billed
        amounts follow re-rates: billed hours × bill rate, one UPDATE."""
        self.ensure_one()
        Line = self.env["account.analytic.line"].sudo()
        unpriced = Line.search(
            [
                ("agency_run_id", "=", self.id),
                *NOT_INVOICED_DOMAIN,
                ("agency_rate_state", "!=", "priced"),
            ]
        )
        if unpriced:
            unpriced._agency_reprice(force=True)
        # SQL: one bulk UPDATE of the amounts that differ, however many
        # entries the run holds (write() would need them read and grouped
        # first).
        self.env["account.analytic.line"].flush_model()
        self.env["account.move"].flush_model(["state"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_analytic_line line
                   SET agency_billed_amount =
                       round((agency_billed_hours * coalesce(agency_bill_rate, 0)
                              * coalesce(agency_multiplier, 1))::numeric, 6)
                 WHERE agency_run_id = %s
                   AND %s
                   AND agency_billed_amount IS DISTINCT FROM
                       round((agency_billed_hours * coalesce(agency_bill_rate, 0)
                              * coalesce(agency_multiplier, 1))::numeric, 6)
             RETURNING line.id
                """,
                self.id,
                not_invoiced_sql("line"),
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        Line.browse(changed)._agency_sql_written({}, also=["agency_billed_amount"])

    # -- 4. invoice --

    def action_create_invoices(self):
        """One draft customer invoice per reviewed engagement."""
        self.ensure_one()
        self._agency_check_open()
        self.action_check()
        ready = self.line_ids.filtered(lambda line: line.state == "reviewed")
        if not ready:
            raise UserError(
                self.env._(
                    "No engagement of billing run %(run)s is marked reviewed: its "
                    "billing owner marks it reviewed once the checks are resolved.",
                    run=self.name,
                )
            )
        blocked = ready.filtered("blocking_count")
        if blocked:
            raise UserError(
                self.env._(
                    "Blocking checks are open on %(engagements)s: fix the cause "
                    "and check again, exclude the entries, or adjust. No invoice "
                    "was created.\n%(checks)s",
                    engagements=", ".join(blocked.engagement_id.mapped("display_name")),
                    checks="\n".join(
                        f"• {check.message}"
                        for check in blocked.check_ids.filtered(
                            lambda c: c.state == "open" and c.severity == "blocking"
                        )
                    ),
                )
            )
        for line in ready:
            line.engagement_id._agency_check_invoiceable()
        entry_ids = self._agency_entry_ids_by_engagement()
        failures = []
        try:
            # All the invoices in one create: Odoo computes a batch of moves in
            # about half the time it takes one at a time. Any failure rolls the
            # whole batch back, and the engagements are invoiced one by one.
            with self.env.cr.savepoint():
                invoices = ready._agency_invoice_batch(entry_ids)
        except (UserError, psycopg2.errors.LockNotAvailable):
            self.env.invalidate_all()
            invoices = self.env["account.move"]
            for line in ready:
                try:
                    with self.env.cr.savepoint():
                        invoices |= line._agency_invoice(
                            entry_ids.get(line.engagement_id.id, [])
                        )
                except (UserError, psycopg2.errors.LockNotAvailable) as error:
                    self.env.invalidate_all()
                    message = (
                        error.args[0]
                        if isinstance(error, UserError)
                        else self.env._(
                            "Another billing run is invoicing these entries "
                            "right now: try again in a minute."
                        )
                    )
                    failures.append((line, message))
        for line, message in failures:
            line.sudo().error_message = message
        if not invoices and failures:
            raise UserError(failures[0][1])
        if all(
            line.state == "invoiced"
            for line in self.line_ids
            if line.entry_count or line.amount or line.adjustment_amount
        ):
            self.sudo().state = "done"
        if invoices:
            self.env["agency.audit"]._log_operation(
                "decision",
                invoices,
                after=", ".join(invoices.mapped("display_name")),
                reason=self.env._("Invoices created by billing run %s", self.name),
            )
            self.message_post(
                body=self.env._(
                    "%(count)s draft invoices created: %(names)s",
                    count=len(invoices),
                    names=", ".join(invoices.mapped("display_name")),
                )
            )
        return self.action_view_invoices()

    def _agency_entry_ids_by_engagement(self):
        """{engagement id: ids of its entries in the run not invoiced yet}, in
        one query for the whole run.

        No join: right after collect, in the same transaction,
        PostgreSQL's statistics still say that no entry is in a run, so a join
        with the projects is planned as a scan of the projects per entry (and
        one query per engagement reads all the run's entries each time)."""
        self.ensure_one()
        by_project = {
            project.id: ids
            for project, ids in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("agency_run_id", "=", self.id), *NOT_INVOICED_DOMAIN],
                ["project_id"],
                ["id:array_agg"],
                # groups in no order: ordering by project would join them
                order="id:min",
            )
        }
        projects = (
            self.env["project.project"]
            .sudo()
            .browse([project_id for project_id in by_project if project_id])
        )
        result = defaultdict(list)
        for project in projects:
            result[project.agency_engagement_id.id].extend(by_project[project.id])
        return result

    def action_cancel(self):
        """Let go of the entries not invoiced; invoices stay (cancel them in
        Invoicing to free their entries)."""
        # The caller's rights first: the entries are freed as the superuser,
        # and a run id that does not exist (0) must not free every unbilled
        # entry (found by tests/test_probe.py).
        self.check_access("write")
        for run in self.exists():
            if run.state == "done":
                raise UserError(
                    self.env._(
                        "Billing run %(run)s is invoiced: cancel or credit its "
                        "invoices in Invoicing instead.",
                        run=run.name,
                    )
                )
            held = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("agency_run_id", "=", run.id), *NOT_INVOICED_DOMAIN])
            )
            held._agency_free(reason=None)
            run.sudo().state = "cancel"
        return True

    def action_export_xlsx(self):
        """The run as a spreadsheet for the review meeting (report/)."""
        self.ensure_one()
        return self.env["agency.billing.run.xlsx"]._agency_download(self)

    # -- screens --

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("agency_run_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(self.invoice_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.invoice_ids.id
        return action

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.account_analytic_line_action_raw_billed"
        )
        action["domain"] = [("agency_run_id", "=", self.id)]
        action["context"] = {"search_default_group_engagement": 0}
        return action

    def action_view_checks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.agency_billing_check_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_open": 1}
        return action
