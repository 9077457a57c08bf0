"""Early warnings: a signal that stands about a project, a person or an
engagement, with an owner who hears of it once.

Each rule (warning_rules.py, plain functions) is evaluated from aggregates of
timesheet entries (the hours rules: time logged, rejected time aside; the money
rules: approved time) and, for margins and write-offs, from the margin figures
of each engagement (``agency.engagement._agency_margin_figures``); evaluation
runs when entries are approved (for their projects and people) and every night
(all of them, in batches). A warning is keyed by its rule and its subject:
while its condition stands it is the same warning (its last seen day moves on,
its figures follow); when the condition clears it is resolved and its activity
is marked done; if it comes back later, that is a new warning.

The owner is the project's producer for the hours rules (for a person: their
timesheet approver, else their manager), the engagement's billing owner for the
money rules; the owner gets one activity per new warning. Producers read the
hours warnings of their projects (and those they own), never a money figure;
Billing and Administrators read all of them (security/agency_warning_security.xml).
"""

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import staffing
from .. import warning_rules as rules
from ..warning_facts import WarningFacts, differs

BILLING = "agency_timesheet.group_agency_billing"
PRODUCER = "agency_timesheet.group_agency_producer"
ADMIN = "agency_timesheet.group_agency_admin"
# Projects evaluated per batch of the nightly job.
CRON_BATCH = 500
CURSOR_PARAM = "agency_forecast.warning_cursor"


class AgencyWarning(models.Model):
    _name = "agency.warning"
    _description = "Agency Early Warning"
    _inherit = [  # noqa: RUF012 (Odoo reads it)
        "mail.thread",
        "mail.activity.mixin",
        "agency.warning.finder",  # the rules' finders: models/agency_warning_finder.py
    ]
    _mail_post_access = "read"
    _order = "first_seen desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Warning", required=True, readonly=True)
    rule = fields.Selection(
        [(code, label) for code, (label, _kind) in rules.RULES.items()],
        required=True,
        readonly=True,
        index=True,
    )
    severity = fields.Selection(
        rules.SEVERITIES, required=True, default="warning", readonly=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("acknowledged", "Acknowledged"),
            ("resolved", "Resolved"),
        ],
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
    )
    key = fields.Char(
        readonly=True,
        index=True,
        help="The rule and what it is about: one standing warning per key.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    project_id = fields.Many2one(
        "project.project", readonly=True, index="btree_not_null", check_company=True
    )
    task_id = fields.Many2one("project.task", readonly=True, check_company=True)
    employee_id = fields.Many2one(
        "hr.employee", string="Person", readonly=True, check_company=True
    )
    engagement_id = fields.Many2one(
        "agency.engagement",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        groups=BILLING,
    )
    owner_id = fields.Many2one(
        "res.users",
        readonly=True,
        index=True,
        help="Who hears of it: the project's producer for the hours warnings, the "
        "engagement's billing owner for the money warnings.",
    )
    message = fields.Text(readonly=True)
    measure = fields.Float(
        readonly=True,
        help="The figure that passed the threshold: percentage points (creep), "
        "% of hours (revisions), % of the budget used (burn), margin % (margin), "
        "% of billed (write-offs).",
    )
    limit = fields.Float(string="Threshold", readonly=True)
    amount = fields.Monetary(
        string="Money at Stake",
        currency_field="currency_id",
        readonly=True,
        groups=BILLING,
        help="Money warnings: the margin, the amount used, or the write-offs, in "
        "the company's currency.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    exhausted_on = fields.Date(
        string="Runs Out On",
        readonly=True,
        help="Budget burn: the day the budget runs out at the last 4 weeks' pace.",
    )
    line_domain = fields.Char(
        readonly=True, help="The entries driving it, as a search domain."
    )
    line_count = fields.Integer(string="Entries", readonly=True)
    first_seen = fields.Date(readonly=True, required=True)
    last_seen = fields.Date(readonly=True, required=True)
    resolved_on = fields.Date(readonly=True)
    ack_reason = fields.Text(string="Acknowledged Because", readonly=True)
    ack_user_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True)
    ack_date = fields.Datetime(string="Acknowledged On", readonly=True)

    def init(self):
        # DDL: one standing (not resolved) warning per key; the ORM has no
        # partial unique constraint.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS agency_warning_standing_key
               ON agency_warning (key) WHERE state != 'resolved'"""
        )

    # -- actions --

    def action_open_entries(self):
        """The timesheet entries driving this warning."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries behind %(warning)s", warning=self.name),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("hr_timesheet.hr_timesheet_line_tree").id, "list"),
                (False, "form"),
            ],
            "domain": self._agency_line_domain(),
            "context": {"create": False},
        }

    def action_acknowledge(self):
        """Open the dialog that asks why."""
        self._agency_check_acknowledger()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Acknowledge"),
            "res_model": "agency.warning.acknowledge",
            "view_mode": "form",
            "target": "new",
            "context": {"default_warning_ids": [(6, 0, self.ids)]},
        }

    # -- business methods --

    def _agency_line_domain(self):
        self.ensure_one()
        return json.loads(self.line_domain or "[]") or [("id", "=", 0)]

    def _agency_check_acknowledger(self):
        """Who may acknowledge: Billing and Administrators, or the owner or the
        project's producer of an hours warning they can read. Checked by the
        server whatever the client sends."""
        self.check_access("read")
        user = self.env.user
        if user.has_group(BILLING):
            return
        for warning in self.sudo():
            hours_rules = rules.HOURS_RULES + rules.STAFFING_RULES
            if not user.has_group(PRODUCER) or warning.rule not in hours_rules:
                raise AccessError(
                    self.env._(
                        "Only Billing or an Administrator can acknowledge %(warning)s.",
                        warning=warning.name,
                    )
                )
            if user not in warning.owner_id | warning.project_id.user_id:
                raise AccessError(
                    self.env._(
                        "%(warning)s belongs to %(owner)s: only its owner, the "
                        "project's producer, Billing or an Administrator can "
                        "acknowledge it.",
                        warning=warning.name,
                        owner=warning.owner_id.name or "-",
                    )
                )

    def _agency_acknowledge(self, reason):
        """Acknowledge standing warnings, with a reason (the one way the state
        changes by hand). The activity stays done: no repeats while it stands."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Say why %(warnings)s can be left as it is: the reason is kept "
                    "on the warning for whoever looks next.",
                    warnings=", ".join(self.sudo().mapped("name")),
                )
            )
        self._agency_check_acknowledger()
        resolved = self.sudo().filtered(lambda w: w.state == "resolved")
        if resolved:
            raise UserError(
                self.env._(
                    "%(warnings)s is resolved already: nothing to acknowledge.",
                    warnings=", ".join(resolved.mapped("name")),
                )
            )
        warnings = self.sudo()
        warnings.write(
            {
                "state": "acknowledged",
                "ack_reason": reason,
                "ack_user_id": self.env.uid,
                "ack_date": fields.Datetime.now(),
            }
        )
        warnings.activity_ids.action_feedback(
            feedback=self.env._("Acknowledged: %(reason)s", reason=reason)
        )
        return True

    @api.model
    def _agency_evaluate_projects(self, projects, employees=None):
        """Evaluate the warnings of `projects` (and of `employees`, as people)
        today: called when entries are approved."""
        projects = projects.sudo().filtered("allow_timesheets")
        if projects or employees:
            today = fields.Date.context_today(self)
            self._agency_evaluate(today, projects, employees)

    @api.model
    def _cron_evaluate(self, today=None):
        """Nightly: every project with timesheets, in batches of CRON_BATCH
        (progress reported; a batch committed by the cron runner resumes where
        the last one stopped), and every person in the first batch."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        Param = self.env["ir.config_parameter"].sudo()
        day, _sep, last_id = (Param.get_param(CURSOR_PARAM) or "").partition(":")
        last_id = int(last_id) if day == str(today) and last_id else 0
        Project = self.env["project.project"].sudo().with_context(active_test=True)
        domain = [("allow_timesheets", "=", True), ("id", ">", last_id)]
        projects = Project.search(domain, order="id", limit=CRON_BATCH)
        employees = None
        if not last_id:
            employees = self.env["hr.employee"].sudo().search([])
        self._agency_evaluate(today, projects, employees, roles=not last_id)
        remaining = 0
        if projects:
            remaining = Project.search_count(
                [*domain[:1], ("id", ">", projects[-1].id)]
            )
        # the next call resumes after this batch, or starts a new pass
        cursor = f"{today}:{projects[-1].id}" if remaining else False
        Param.set_param(CURSOR_PARAM, cursor)
        self.env["ir.cron"]._notify_progress(done=len(projects), remaining=remaining)

    @api.model
    def _agency_evaluate(self, today, projects, employees=None, roles=False):
        """Evaluate every rule for `projects` (and `employees`, and every
        role's staffing signals when `roles`), as of `today`:
        create the warnings that are new (with their owner's activity), update
        those that stand, resolve those whose condition cleared. The number of
        queries does not depend on the number of entries."""
        warnings = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        projects = projects.sudo()
        employees = (employees or self.env["hr.employee"]).sudo()
        facts = WarningFacts(warnings.env, today, projects, employees)
        found = {}
        found.update(warnings._agency_find_creep(facts))
        found.update(warnings._agency_find_revisions(facts))
        found.update(warnings._agency_find_budget_hours(facts))
        found.update(warnings._agency_find_money(facts))
        found.update(staffing.find(warnings, today, employees, roles, facts.subjects))
        warnings._agency_apply(today, facts.subjects, found)

    def _agency_apply(self, today, subjects, found):
        """Keep the standing warnings of `subjects` (keys) in line with `found`
        ({key: values})."""
        standing = self.search(
            [("key", "in", list(subjects)), ("state", "!=", "resolved")]
        )
        by_key = {warning.key: warning for warning in standing}
        cleared = standing.filtered(lambda w: w.key not in found)
        if cleared:
            cleared.write({"state": "resolved", "resolved_on": today})
            cleared.activity_ids.action_feedback(
                feedback=self.env._("Resolved: the condition cleared.")
            )
        seen = standing - cleared
        if seen:
            seen.write({"last_seen": today})
        for key, values in found.items():
            warning = by_key.get(key)
            if warning:
                changed = {
                    name: value
                    for name, value in values.items()
                    if name != "owner_id" and differs(warning[name], value)
                }
                if changed:
                    warning.write(changed)
        new_values = [
            {**values, "key": key, "first_seen": today, "last_seen": today}
            for key, values in found.items()
            if key not in by_key
        ]
        if new_values:
            self.create(new_values)._agency_notify_owner()

    def _agency_notify_owner(self):
        """One activity per new warning, to its owner (or, if the owner may not
        read it, to an Agency administrator of its company)."""
        activity_type = self.env.ref("agency_forecast.mail_activity_type_warning")
        admins = self.env.ref(ADMIN).users
        for warning in self:
            owner = warning.owner_id
            if not owner or not warning.with_user(owner).has_access("read"):
                owner = admins.filtered(
                    lambda u, w=warning: w.company_id in u.company_ids and not u.share
                )[:1]
                warning.owner_id = owner
            if not owner:
                continue
            warning.activity_schedule(
                activity_type_id=activity_type.id,
                summary=warning.name,
                note=warning._agency_kind_note(),
                user_id=owner.id,
                date_deadline=warning.first_seen,
            )

    def _agency_kind_note(self):
        self.ensure_one()
        return self.env._(
            "Hello %(owner)s, a heads-up while there is time to act: %(message)s "
            "Open the warning to see the entries behind it; if all is as it should "
            "be, acknowledge it with a word on why and it will not bother you "
            "again while it stands.",
            owner=self.owner_id.name or "",
            message=self.message or self.name,
        )
