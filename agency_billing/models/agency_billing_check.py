"""Pre-billing checks: what a billing owner must look at before invoicing.

Each check has a severity (a blocking check stops the engagement's invoice until
it is fixed, its entries excluded or the engagement adjusted; a warning is
acknowledged) and an owner (the engagement's billing owner, or the producer who
approves the entries). The checks are computed with a fixed number of queries
for a whole run, whatever its size.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount
from odoo.tools.misc import format_date

from .billing_rules import likely_duplicates
from .check_context import CheckContext
from .check_phase_budgets import phase_budget_checks
from .check_rules import (
    CHECKS,
    SEVERITY,
    hours_text,
    locked_unbilled,
    long_day_entries,
    outside_dates,
    over_cap,
    period_start,
    zero_or_less,
)


class AgencyBillingCheck(models.Model):
    _name = "agency.billing.check"
    _inherit = "agency.server.record"
    _description = "Agency Pre-billing Check"
    _order = "severity, run_line_id, code, id"
    _rec_name = "message"

    run_id = fields.Many2one(
        "agency.billing.run", required=True, ondelete="cascade", index=True
    )
    run_line_id = fields.Many2one(
        "agency.billing.run.line", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    engagement_id = fields.Many2one(
        related="run_line_id.engagement_id", store=True, index=True
    )
    code = fields.Selection(CHECKS, string="Check", required=True)
    severity = fields.Selection(
        [("blocking", "Blocking"), ("warning", "Warning")], required=True
    )
    owner_id = fields.Many2one("res.users", required=True)
    message = fields.Text(required=True)
    entry_ids = fields.Many2many(
        "account.analytic.line",
        "agency_billing_check_entry_rel",
        "check_id",
        "line_id",
        string="Entries",
    )
    entry_count = fields.Integer(compute="_compute_entry_count")
    state = fields.Selection(
        [("open", "Open"), ("acknowledged", "Acknowledged")],
        default="open",
        required=True,
    )
    acknowledged_by_id = fields.Many2one("res.users", readonly=True)

    @api.depends("entry_ids")
    def _compute_entry_count(self):
        for check in self:
            check.entry_count = len(check.entry_ids)

    # Checks are the server's findings: Check writes them (as superuser, after
    # the run's own rights checks) and Acknowledge is all a person does to
    # them. A client's create, write or delete is refused, whatever its
    # context: a blocking check made a warning, acknowledged or deleted would
    # let an unpriced entry reach an invoice (agency_server_record.py).

    def _agency_server_refusal(self):
        return self.env._(
            "Pre-billing checks are written by Check on the billing run: "
            "fix the cause and check again, exclude the entries, adjust, "
            "or acknowledge a warning."
        )

    def action_acknowledge(self):
        """A warning seen and accepted by its owner (or an administrator)."""
        admin = self.env.user.has_group("agency_timesheet.group_agency_admin")
        for check in self:
            if check.severity == "blocking":
                raise UserError(
                    self.env._(
                        "%(message)s\nThis check is blocking: fix the cause and "
                        "check again, exclude its entries or adjust.",
                        message=check.message,
                    )
                )
            owners = check.owner_id | check.run_line_id.user_id
            if not admin and self.env.user not in owners:
                raise UserError(
                    self.env._(
                        "%(owner)s owns this check: %(message)s",
                        owner=check.owner_id.name,
                        message=check.message,
                    )
                )
        self.sudo().write({"state": "acknowledged", "acknowledged_by_id": self.env.uid})
        return True

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.account_analytic_line_action_raw_billed"
        )
        action["domain"] = [("id", "in", self.entry_ids.ids)]
        action["context"] = {"agency_run_id": self.run_id.id}
        return action

    def action_exclude_entries(self):
        self.ensure_one()
        return self.env["agency.billing.exclude.wizard"]._agency_open(
            self.run_id, self.entry_ids.filtered(lambda e: e.agency_run_id)
        )

    # -- the checks --

    @api.model
    def _agency_run_checks(self, run):
        """Replace the run's checks by fresh ones; a warning acknowledged before
        stays so while it concerns the same entries."""
        acknowledged = {
            (check.run_line_id.id, check.code, frozenset(check.entry_ids.ids)): (
                check.acknowledged_by_id.id
            )
            for check in run.check_ids
            if check.state == "acknowledged"
        }
        run.check_ids.sudo().unlink()
        lines = run.line_ids.filtered(lambda line: line.state != "invoiced")
        if not lines:
            return self.browse()
        lines._agency_refresh_totals()
        found = []  # (run line, code, message, entry ids, owner)
        context = CheckContext(self.env, run, lines)
        for code in SEVERITY:
            found.extend(getattr(self, f"_agency_check_{code}")(context))
        vals_list = []
        for line, code, message, entry_ids, owner in found:
            key = (line.id, code, frozenset(entry_ids))
            vals = {
                "run_id": run.id,
                "run_line_id": line.id,
                "code": code,
                "severity": SEVERITY[code],
                "owner_id": (owner or line.user_id).id,
                "message": message,
                "entry_ids": [(6, 0, entry_ids)],
            }
            if SEVERITY[code] == "warning" and key in acknowledged:
                vals.update(state="acknowledged", acknowledged_by_id=acknowledged[key])
            vals_list.append(vals)
        return self.sudo().create(vals_list).with_env(self.env)

    def _agency_hours(self, context, entry_ids):
        return sum(context.rows[i]["unit_amount"] for i in entry_ids)

    def _agency_check_unapproved(self, context):
        """Entries of the period not approved yet: they wait for their
        approver, and are not in this run."""
        found = []
        for engagement_id, producer_id, ids, hours in context.unapproved():
            line = context.lines_by_engagement[engagement_id]
            owner = self.env["res.users"].browse(producer_id) if producer_id else None
            found.append(
                (
                    line,
                    "unapproved",
                    self.env._(
                        "%(engagement)s: %(count)s entries (%(hours)s h) of the "
                        "period are not approved yet%(who)s. They are not billed "
                        "in this run.",
                        engagement=line.engagement_id.display_name,
                        count=len(ids),
                        hours=hours_text(hours),
                        who=self.env._(" (approver: %s)", owner.name) if owner else "",
                    ),
                    ids,
                    owner,
                )
            )
        return found

    def _agency_entry_check(self, context, code, predicate, text):
        """A check over the run's entries: one per engagement with any entry
        for which predicate(row) holds."""
        found = []
        for line, rows in context.rows_by_line.items():
            engagement = line.engagement_id  # read once, not once per entry
            ids = [row["id"] for row in rows if predicate(row, engagement)]
            if ids:
                found.append(
                    (
                        line,
                        code,
                        text(engagement, ids, self._agency_hours(context, ids)),
                        ids,
                        None,
                    )
                )
        return found

    def _agency_check_no_rate(self, context):
        return self._agency_entry_check(
            context,
            "no_rate",
            lambda row, engagement: row["agency_rate_state"] != "priced",
            lambda engagement, ids, hours: self.env._(
                "%(engagement)s: %(count)s entries (%(hours)s h) have no rate. Add "
                "a rate line that covers them (Agency › Billing › Missing Rates) "
                "and check again, or exclude them.",
                engagement=engagement.display_name,
                count=len(ids),
                hours=hours_text(hours),
            ),
        )

    def _agency_check_outside_dates(self, context):
        return self._agency_entry_check(
            context,
            "outside_dates",
            lambda row, engagement: outside_dates(
                row["date"], engagement.date_start, engagement.date_end
            ),
            lambda engagement, ids, hours: self.env._(
                "%(engagement)s: %(count)s entries (%(hours)s h) are dated outside "
                "the engagement (%(start)s to %(end)s). Extend its dates, or "
                "exclude them.",
                engagement=engagement.display_name,
                count=len(ids),
                hours=hours_text(hours),
                start=format_date(self.env, engagement.date_start) or "…",
                end=format_date(self.env, engagement.date_end) or "…",
            ),
        )

    def _agency_check_locked_unbilled(self, context):
        """Old time surfacing: entries dated on or before the lock date and
        before the run's period (its start, else the first day of the month of
        its end) that no earlier run billed. The period's own time is not
        flagged, even when the lock date covers it."""
        lock = context.run.company_id.agency_timesheet_lock_date
        if not lock:
            return []
        first_day = period_start(context.run.date_from, context.run.date_to)
        return self._agency_entry_check(
            context,
            "locked_unbilled",
            lambda row, engagement: locked_unbilled(row["date"], lock, first_day),
            lambda engagement, ids, hours: self.env._(
                "%(engagement)s: %(count)s entries (%(hours)s h) from before this "
                "period, on or before the lock date %(lock)s, were never billed: "
                "late time the client may not expect.",
                engagement=engagement.display_name,
                count=len(ids),
                hours=hours_text(hours),
                lock=format_date(self.env, lock),
            ),
        )

    def _agency_check_archived_project(self, context):
        return self._agency_entry_check(
            context,
            "archived_project",
            lambda row, engagement: not row["project_active"],
            lambda engagement, ids, hours: self.env._(
                "%(engagement)s: %(count)s entries (%(hours)s h) are on archived "
                "projects.",
                engagement=engagement.display_name,
                count=len(ids),
                hours=hours_text(hours),
            ),
        )

    def _agency_check_duplicate(self, context):
        found = []
        for line, rows in context.rows_by_line.items():
            sets = likely_duplicates(
                (
                    row["id"],
                    row["employee_id"],
                    row["project_id"],
                    row["task_id"],
                    row["date"],
                    row["unit_amount"],
                    row["name"],
                )
                for row in rows
            )
            for ids in sets:
                first = context.rows[ids[0]]
                found.append(
                    (
                        line,
                        "duplicate",
                        self.env._(
                            "%(engagement)s: %(count)s alike entries of %(hours)s h "
                            "on %(day)s (“%(note)s”): same person, task, day, "
                            "duration and note. Exclude the copies if they are.",
                            engagement=line.engagement_id.display_name,
                            count=len(ids),
                            hours=hours_text(first["unit_amount"]),
                            day=format_date(self.env, first["date"]),
                            note=first["name"] or "",
                        ),
                        ids,
                        None,
                    )
                )
        return found

    def _agency_check_long_day(self, context):
        """People with more than 12 h logged on one day (all their time that
        day, any project), for the days of the run's entries.

        The days over 12 h of the run's people within the run's dates are
        summed in one query and matched to the run's entries here: a join with the
        run's days would be planned from statistics that, right after collect,
        still say that no entry is in a run (one index lookup per day)."""
        long_days = context.long_days()
        found = []
        if not long_days:
            return found
        for line, rows in context.rows_by_line.items():
            for (employee_id, day), ids in long_day_entries(rows, long_days).items():
                found.append(
                    (
                        line,
                        "long_day",
                        self.env._(
                            "%(engagement)s: %(person)s logged %(hours)s h on "
                            "%(day)s. Check the day with them before billing it.",
                            engagement=line.engagement_id.display_name,
                            person=self.env["hr.employee.public"]
                            .browse(employee_id)
                            .name,
                            hours=hours_text(long_days[(employee_id, day)]),
                            day=format_date(self.env, day),
                        ),
                        ids,
                        None,
                    )
                )
        return found

    def _agency_check_cap(self, context):
        found = []
        for line in context.lines:
            engagement = line.engagement_id
            already = engagement.invoiced_amount
            if over_cap(engagement.cap_amount, already, line.total):
                found.append(
                    (
                        line,
                        "cap",
                        self.env._(
                            "%(engagement)s: this run bills %(run)s after "
                            "%(already)s invoiced, past the not-to-exceed cap of "
                            "%(cap)s. Write down the difference, exclude entries, "
                            "or raise the cap with the client.",
                            engagement=engagement.display_name,
                            run=format_amount(
                                self.env, line.total, engagement.currency_id
                            ),
                            already=format_amount(
                                self.env, already, engagement.currency_id
                            ),
                            cap=format_amount(
                                self.env, engagement.cap_amount, engagement.currency_id
                            ),
                        ),
                        [],
                        None,
                    )
                )
        return found

    def _agency_check_phase_budget(self, context):
        return phase_budget_checks(self, context, "phase_budget")

    def _agency_check_phase_budget_warning(self, context):
        return phase_budget_checks(self, context, "phase_budget_warning")

    def _agency_check_zero_amount(self, context):
        return self._agency_entry_check(
            context,
            "zero_amount",
            lambda row, engagement: zero_or_less(
                row["agency_rate_state"], row["agency_billed_amount"]
            ),
            lambda engagement, ids, hours: self.env._(
                "%(engagement)s: %(count)s entries (%(hours)s h) would be billed "
                "zero or less (a zero rate, or rounded down to nothing). If that is "
                "intended, acknowledge; otherwise fix the rate or the rounding, or "
                "exclude them.",
                engagement=engagement.display_name,
                count=len(ids),
                hours=hours_text(hours),
            ),
        )

    def _agency_check_currency(self, context):
        found = []
        for line in context.lines:
            engagement = line.engagement_id
            partner = engagement.partner_id.with_company(engagement.company_id)
            client_currency = partner.property_product_pricelist.currency_id
            if client_currency and client_currency != engagement.currency_id:
                found.append(
                    (
                        line,
                        "currency",
                        self.env._(
                            "%(engagement)s invoices in %(currency)s while client "
                            "%(client)s buys in %(client_currency)s (its "
                            "pricelist). Check which one the contract says.",
                            engagement=engagement.display_name,
                            currency=engagement.currency_id.name,
                            client=partner.display_name,
                            client_currency=client_currency.name,
                        ),
                        [],
                        None,
                    )
                )
        return found

    def _agency_check_held(self, context):
        """Entries of the period that another open run holds (time a retainer
        period billed is not held: its run closed the period)."""
        return [
            (
                context.lines_by_engagement[engagement_id],
                "held",
                self.env._(
                    "%(engagement)s: %(count)s entries of the period are held by "
                    "billing run %(other)s. Invoice or cancel that run to bill "
                    "them here.",
                    engagement=context.lines_by_engagement[
                        engagement_id
                    ].engagement_id.display_name,
                    count=len(ids),
                    other=name,
                ),
                ids,
                None,
            )
            for engagement_id, name, ids in context.held()
        ]

    # -- re-billed expenses (hr_expense.py) --

    def _agency_expense_check(self, context, code, predicate, text):
        """One check per engagement with any held expense for which
        predicate(expense, run line) holds; text(engagement, expenses)."""
        found = []
        for line, expenses in context.expenses().items():
            matching = expenses.filtered(lambda e, line=line: predicate(e, line))
            if matching:
                found.append((line, code, text(line.engagement_id, matching), [], None))
        return found

    def _agency_check_expense_receipt(self, context):
        """A re-billed expense goes to the client with its receipt: without
        one, the invoice waits (attach it, or stop re-billing the expense)."""
        with_receipt = context.expenses_with_receipt()
        return self._agency_expense_check(
            context,
            "expense_receipt",
            lambda expense, line: expense.id not in with_receipt,
            lambda engagement, expenses: self.env._(
                "%(engagement)s: %(count)s re-billed expenses have no receipt: "
                "%(expenses)s. The client receives the receipts with the "
                "invoice: attach them to the expenses and check again, or untick "
                "Re-bill to Client on those expenses.",
                engagement=engagement.display_name,
                count=len(expenses),
                expenses="; ".join(e._agency_describe() for e in expenses),
            ),
        )

    def _agency_check_expense_limit(self, context):
        def above(expense, line):
            limit = expense.product_id.product_tmpl_id.agency_expense_limit
            return bool(limit) and expense.total_amount > limit

        return self._agency_expense_check(
            context,
            "expense_limit",
            above,
            lambda engagement, expenses: self.env._(
                "%(engagement)s: %(count)s re-billed expenses are above the limit "
                "of their category: %(expenses)s. Check them with the people who "
                "spent them (and with the client's contract) before re-billing.",
                engagement=engagement.display_name,
                count=len(expenses),
                expenses="; ".join(
                    self.env._(
                        "%(expense)s, limit of %(category)s: %(limit)s",
                        expense=e._agency_describe(),
                        category=e.product_id.display_name,
                        limit=format_amount(
                            self.env,
                            e.product_id.product_tmpl_id.agency_expense_limit,
                            e.company_currency_id,
                        ),
                    )
                    for e in expenses
                ),
            ),
        )

    def _agency_check_expense_currency(self, context):
        def converted(engagement, expenses):
            currency, company = engagement.currency_id, engagement.company_id
            return self.env._(
                "%(engagement)s: %(count)s re-billed expenses were paid in another "
                "currency than the invoice's (%(currency)s), converted at the rate "
                "of the day they were spent: %(expenses)s.",
                engagement=engagement.display_name,
                count=len(expenses),
                currency=currency.name,
                expenses="; ".join(
                    f"{e.name}: {e._agency_original(currency, company)}"
                    for e in expenses
                ),
            )

        return self._agency_expense_check(
            context,
            "expense_currency",
            lambda expense, line: expense.currency_id != line.currency_id,
            converted,
        )
