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
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date

from odoo.addons.agency_billing.models.check_rules import hours_text

from .. import staffing
from .. import warning_rules as rules

_logger = logging.getLogger(__name__)

BILLING = "agency_timesheet.group_agency_billing"
PRODUCER = "agency_timesheet.group_agency_producer"
ADMIN = "agency_timesheet.group_agency_admin"
# Projects evaluated per batch of the nightly job.
CRON_BATCH = 500
CURSOR_PARAM = "agency_forecast.warning_cursor"
# The entries the agency's rules apply to are timesheet entries with a role
# (agency_timesheet's _agency_lines): everyone else's time is stock Odoo's.
# The hours rules read the time logged (whatever its approval, rejected time
# aside: the earlier the signal, the better); the money rules approved time.
LOGGED = [
    ("project_id", "!=", False),
    ("role_id", "!=", False),
    ("approval_state", "!=", "rejected"),
]
APPROVED = [("project_id", "!=", False), ("approval_state", "=", "approved")]


class AgencyWarning(models.Model):
    _name = "agency.warning"
    _description = "Agency Early Warning"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012 (Odoo reads it)
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
        facts = _Facts(warnings.env, today, projects, employees)
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
                    if name != "owner_id" and _differs(warning[name], value)
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

    # -- the rules: {key: values} of the warnings found --

    def _agency_find_creep(self, facts):
        found = {}
        # internal projects are non-billable by definition: client projects only
        subjects = [
            *(("project", p, p.display_name) for p in facts.projects if p.partner_id),
            *(("employee", e, e.name) for e in facts.employees),
        ]
        for kind, record, who in subjects:
            key = f"nonbillable_creep:{kind}:{record.id}"
            facts.subjects.add(key)
            finding = rules.nonbillable_creep(
                *facts.creep_hours((kind, record.id)),
                facts.company(record).agency_warning_creep_points,
            )
            if finding:
                found[key] = self._agency_creep_values(
                    finding, facts, who, **{kind: record}
                )
        return found

    def _agency_creep_values(self, finding, facts, who, project=None, employee=None):
        (recent_from, recent_to), _base = facts.windows
        domain = [
            *LOGGED,
            ("date", ">=", str(recent_from)),
            ("date", "<=", str(recent_to)),
            "|",
            ("project_id.partner_id", "=", False),
            ("agency_excluded_reason", "!=", False),
        ]
        if project:
            domain.insert(0, ("project_id", "=", project.id))
            owner = project.user_id
            company = facts.company(project)
            count = facts.nb_count[("project", project.id)]
        else:
            domain.insert(0, ("employee_id", "=", employee.id))
            owner = employee.agency_approver_id or employee.parent_id.user_id
            company = facts.company(employee)
            count = facts.nb_count[("employee", employee.id)]
        return {
            "rule": "nonbillable_creep",
            "name": self.env._("Non-billable creep: %(who)s", who=who),
            "severity": finding.severity,
            "company_id": company.id,
            "project_id": project.id if project else False,
            "employee_id": employee.id if employee else False,
            "owner_id": owner.id,
            "measure": finding.measure,
            "limit": finding.limit,
            "message": self.env._(
                "%(who)s: %(share)s %% of the last 4 weeks' hours were not billable, "
                "%(rise)s points above the 12 weeks before (threshold: %(limit)s "
                "points).",
                who=who,
                share=finding.extra,
                rise=finding.measure,
                limit=finding.limit,
            ),
            "line_domain": json.dumps(domain),
            "line_count": count,
        }

    def _agency_find_revisions(self, facts):
        found = {}
        for project in facts.projects:
            key = f"revisions:project:{project.id}"
            facts.subjects.add(key)
            company = facts.company(project)
            rounds = rules.revision_rounds(facts.tasks_by_project[project.id])
            revision_hours, revision_count = facts.revision_hours[project.id]
            finding = rules.revisions(
                revision_hours,
                facts.total_hours[project.id][0],
                rounds,
                company.agency_warning_revision_share,
                company.agency_warning_revision_rounds,
            )
            if not finding:
                continue
            found[key] = {
                "rule": "revisions",
                "name": self.env._(
                    "Excessive revisions: %(project)s", project=project.display_name
                ),
                "severity": finding.severity,
                "company_id": company.id,
                "project_id": project.id,
                "owner_id": project.user_id.id,
                "measure": finding.measure,
                "limit": finding.limit,
                "message": self.env._(
                    "%(project)s: %(hours)s hours of rework, %(share)s %% of its "
                    "hours (threshold %(limit)s %%); up to %(rounds)s revision "
                    "rounds on one deliverable (threshold %(max)s).",
                    project=project.display_name,
                    hours=hours_text(revision_hours),
                    share=finding.measure,
                    limit=finding.limit,
                    rounds=int(finding.extra),
                    max=company.agency_warning_revision_rounds,
                ),
                "line_domain": json.dumps(
                    [
                        ("project_id", "=", project.id),
                        *LOGGED,
                        ("task_id.agency_revision", "=", True),
                    ]
                ),
                "line_count": revision_count,
            }
        return found

    def _agency_find_budget_hours(self, facts):
        """Hours budgets: the project's and its tasks' allocated hours, and the
        included hours of a retainer's current period."""
        found = {}
        today = facts.today
        for project in facts.projects:
            company = facts.company(project)
            key = f"budget_hours:project:{project.id}"
            facts.subjects.add(key)
            used, count = facts.total_hours[project.id]
            finding = rules.budget_burn(
                used,
                project.allocated_hours,
                facts.recent_hours[("project", project.id)],
                today,
                project.date,
                company.agency_warning_burn_share,
            )
            if finding:
                found[key] = self._agency_burn_hours_values(
                    finding,
                    facts,
                    project,
                    project.display_name,
                    [("project_id", "=", project.id)],
                    count,
                )
        for task in facts.budget_tasks:
            project = task.project_id
            key = f"budget_hours:task:{task.id}"
            facts.subjects.add(key)
            used, count = facts.task_hours[task.id]
            deadline = task.date_deadline and task.date_deadline.date()
            finding = rules.budget_burn(
                used,
                task.allocated_hours,
                facts.recent_task_hours[task.id],
                today,
                deadline or project.date,
                facts.company(project).agency_warning_burn_share,
            )
            if finding:
                found[key] = self._agency_burn_hours_values(
                    finding,
                    facts,
                    project,
                    f"{project.display_name} › {task.name}",
                    [("task_id", "=", task.id)],
                    count,
                    task=task,
                )
        for engagement, (first, last) in facts.retainers.items():
            project = facts.retainer_project[engagement.id]
            key = f"budget_hours:engagement:{engagement.id}"
            facts.subjects.add(key)
            finding = rules.budget_burn(
                facts.period_hours[engagement.id],
                engagement.included_hours,
                facts.retainer_pace[engagement.id],
                today,
                last,
                facts.company(project).agency_warning_burn_share,
            )
            if finding:
                found[key] = self._agency_burn_hours_values(
                    finding,
                    facts,
                    project,
                    self.env._(
                        "%(engagement)s (retainer, %(first)s - %(last)s)",
                        engagement=engagement.name,
                        first=format_date(self.env, first),
                        last=format_date(self.env, last),
                    ),
                    [
                        ("agency_engagement_id", "=", engagement.id),
                        ("date", ">=", str(min(first, facts.windows[0][0]))),
                        ("date", "<=", str(today)),
                    ],
                    facts.retainer_entries[engagement.id],
                    engagement=engagement,
                )
        return found

    def _agency_burn_hours_values(
        self, finding, facts, project, what, domain, count, task=None, engagement=None
    ):
        if finding.severity == "danger":
            outlook = self.env._("used up")
        elif finding.exhausted_on:
            outlook = self.env._(
                "at the last 4 weeks' pace it runs out on %(day)s",
                day=format_date(self.env, finding.exhausted_on),
            )
        else:
            outlook = self.env._("most of it is used")
        return {
            "rule": "budget_hours",
            "name": self.env._("Budget burn: %(what)s", what=what),
            "severity": finding.severity,
            "company_id": facts.company(project).id,
            "project_id": project.id,
            "task_id": task.id if task else False,
            "engagement_id": engagement.id if engagement else False,
            "owner_id": project.user_id.id,
            "measure": finding.measure,
            "limit": finding.limit,
            "exhausted_on": finding.exhausted_on or False,
            "message": self.env._(
                "%(what)s: %(used)s of %(budget)s hours used (%(share)s %%); "
                "%(outlook)s.",
                what=what,
                used=hours_text(finding.extra),
                budget=hours_text(finding.limit),
                share=finding.measure,
                outlook=outlook,
            ),
            "line_domain": json.dumps([*domain, *LOGGED]),
            "line_count": count,
        }

    def _agency_find_money(self, facts):
        """Engagements: budget burn in amount (cap, fixed fee with change
        orders), margin below target, write-off leakage."""
        found = {}
        engagements = facts.engagements
        if not engagements:
            return found
        (_recent_from, recent_to), _base = facts.windows
        try:
            figures = engagements._agency_margin_figures(date_to=recent_to)
        except UserError as error:
            # No margins without an exchange rate (the margins name it): the
            # money warnings stand as they were rather than stop an approval
            # or the nightly job; the next evaluation after the rate is
            # entered catches up.
            _logger.warning("Money warnings not evaluated: %s", error)
            return found
        for engagement in engagements:
            company = engagement.company_id
            project = engagement.project_ids[:1]
            domain = [("agency_engagement_id", "=", engagement.id), *APPROVED]
            count = facts.engagement_count[engagement.id]
            base = {
                "company_id": company.id,
                "engagement_id": engagement.id,
                "project_id": project.id,
                "owner_id": engagement.user_id.id,
                "line_domain": json.dumps(domain),
                "line_count": count,
            }
            figure = figures.get(engagement.id) or {}
            money = company.currency_id
            for rule, finding, message in self._agency_money_findings(
                engagement, figure, facts
            ):
                key = f"{rule}:engagement:{engagement.id}"
                found[key] = {
                    **base,
                    "rule": rule,
                    "name": self.env._(
                        "%(rule)s: %(engagement)s",
                        rule=rules.RULES[rule][0],
                        engagement=engagement.display_name,
                    ),
                    "severity": finding.severity,
                    "measure": finding.measure,
                    "limit": finding.limit,
                    "amount": money.round(finding.extra),
                    "exhausted_on": finding.exhausted_on or False,
                    "message": message,
                }
            for rule in rules.MONEY_RULES:
                facts.subjects.add(f"{rule}:engagement:{engagement.id}")
        return found

    def _agency_money_findings(self, engagement, figure, facts):
        """(rule, finding, message) of the money rules that fire for one
        engagement."""
        company = engagement.company_id
        money = company.currency_id

        def amount(value):
            return format_amount(self.env, value, money)

        budget = facts.amount_budget(engagement)
        if budget:
            used, recent = (
                facts.effort[engagement.id],
                facts.recent_effort[engagement.id],
            )
            finding = rules.budget_burn(
                used,
                budget,
                recent,
                facts.today,
                engagement.date_end or engagement.project_ids[:1].date,
                company.agency_warning_burn_share,
            )
            if finding:
                yield (
                    "budget_amount",
                    finding,
                    self.env._(
                        "%(engagement)s: approved work worth %(used)s at the rate "
                        "cards against a budget of %(budget)s (%(share)s %%)%(when)s.",
                        engagement=engagement.display_name,
                        used=amount(used),
                        budget=amount(budget),
                        share=finding.measure,
                        when=self.env._(
                            "; at the last 4 weeks' pace it runs out on %(day)s",
                            day=format_date(self.env, finding.exhausted_on),
                        )
                        if finding.exhausted_on and finding.severity != "danger"
                        else "",
                    ),
                )
        revenue, cost = figure.get("revenue", 0.0), figure.get("cost", 0.0)
        finding = rules.margin_below_target(
            revenue, cost, company.agency_warning_margin_target
        )
        if finding:
            yield (
                "margin",
                finding,
                self.env._(
                    "%(engagement)s: margin %(margin)s (%(pct)s %% of revenue "
                    "%(revenue)s, cost %(cost)s), below the target of %(target)s %%.",
                    engagement=engagement.display_name,
                    margin=amount(finding.extra),
                    pct=finding.measure,
                    revenue=amount(revenue),
                    cost=amount(cost),
                    target=finding.limit,
                ),
            )
        write_downs, billed = figure.get("write_downs", 0.0), figure.get("billed", 0.0)
        finding = rules.writeoff_leakage(
            write_downs, billed, company.agency_warning_writeoff_share
        )
        if finding:
            yield (
                "writeoff",
                finding,
                self.env._(
                    "%(engagement)s: %(downs)s written down or off against "
                    "%(billed)s billed (%(pct)s %%, threshold %(limit)s %%).",
                    engagement=engagement.display_name,
                    downs=amount(write_downs),
                    billed=amount(billed),
                    pct=finding.measure,
                    limit=finding.limit,
                ),
            )


def _differs(current, value):
    """Whether a stored value differs from the one just computed."""
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    if isinstance(current, float):
        return round(current - (value or 0.0), 6) != 0
    return (current or False) != (value or False)


class _Facts:
    """What the rules read for a set of projects and people, as of `today`,
    in a fixed number of aggregate queries (never one per entry): hours per
    window, per project, task, person and engagement; revision tasks; the
    hours budgets and the retainers' current periods; effort at the rate cards
    per engagement."""

    def __init__(self, env, today, projects, employees):
        self.env = env
        self.today = today
        self.projects = projects
        self.windows = rules.windows(today)
        self.subjects = set()
        Line = env["account.analytic.line"].sudo()
        (recent_from, recent_to), (base_from, base_to) = self.windows
        nb = ["|", ("project_id.partner_id", "=", False)]
        nb.append(("agency_excluded_reason", "!=", False))
        scope = ["|", ("project_id", "in", projects.ids)]
        scope.append(("employee_id", "in", employees.ids))
        self._window = {}
        for name, first, last in (
            ("recent", recent_from, recent_to),
            ("base", base_from, base_to),
        ):
            window = [*LOGGED, *scope, ("date", ">=", first), ("date", "<=", last)]
            self._window[name] = (
                Line._read_group(
                    window,
                    ["project_id", "employee_id"],
                    ["unit_amount:sum", "__count"],
                ),
                Line._read_group(
                    [*window, *nb],
                    ["project_id", "employee_id"],
                    ["unit_amount:sum", "__count"],
                ),
            )
        self._sums = {}
        for name, (total, non_billable) in self._window.items():
            for what, rows in (("total", total), ("nb", non_billable)):
                for project, employee, hours, count in rows:
                    for subject in (("project", project.id), ("employee", employee.id)):
                        bucket = self._sums.setdefault((name, what, subject), [0.0, 0])
                        bucket[0] += hours
                        bucket[1] += count
        self.employees = employees.filtered(
            lambda e: ("recent", "total", ("employee", e.id)) in self._sums
        )
        self.nb_count = defaultdict(int)
        for subject in [*(("project", p) for p in projects.ids)]:
            self.nb_count[subject] = self._get("recent", "nb", subject)[1]
        for employee in self.employees:
            subject = ("employee", employee.id)
            self.nb_count[subject] = self._get("recent", "nb", subject)[1]
        self.recent_hours = defaultdict(float)
        for subject in (("project", p) for p in projects.ids):
            self.recent_hours[subject] = self._get("recent", "total", subject)[0]
        in_projects = [*LOGGED, ("project_id", "in", projects.ids)]
        self.total_hours = defaultdict(lambda: (0.0, 0))
        for project, hours, count in Line._read_group(
            in_projects, ["project_id"], ["unit_amount:sum", "__count"]
        ):
            self.total_hours[project.id] = (hours, count)
        self.revision_hours = defaultdict(lambda: (0.0, 0))
        for project, hours, count in Line._read_group(
            [*in_projects, ("task_id.agency_revision", "=", True)],
            ["project_id"],
            ["unit_amount:sum", "__count"],
        ):
            self.revision_hours[project.id] = (hours, count)
        Task = env["project.task"].sudo().with_context(active_test=False)
        self.tasks_by_project = defaultdict(list)
        for row in Task.search_read(
            [("project_id", "in", projects.ids), ("agency_revision", "=", True)],
            ["project_id", "parent_id"],
            load=None,
        ):
            self.tasks_by_project[row["project_id"]].append(
                (row["id"], row["parent_id"], True)
            )
        self.budget_tasks = Task.search(
            [
                ("project_id", "in", projects.ids),
                ("allocated_hours", ">", 0),
                ("is_closed", "=", False),
            ]
        )
        self.task_hours = defaultdict(lambda: (0.0, 0))
        self.recent_task_hours = defaultdict(float)
        if self.budget_tasks:
            on_tasks = [*LOGGED, ("task_id", "in", self.budget_tasks.ids)]
            for task, hours, count in Line._read_group(
                on_tasks, ["task_id"], ["unit_amount:sum", "__count"]
            ):
                self.task_hours[task.id] = (hours, count)
            for task, hours in Line._read_group(
                [*on_tasks, ("date", ">=", recent_from), ("date", "<=", recent_to)],
                ["task_id"],
                ["unit_amount:sum"],
            ):
                self.recent_task_hours[task.id] = hours
        self._engagements(Line, recent_from, recent_to)

    def company(self, record):
        """The company a project or a person belongs to (stock Odoo allows
        projects shared between companies: the current company then)."""
        return record.company_id or self.env.company

    def _get(self, window, what, subject):
        return self._sums.get((window, what, subject), (0.0, 0))

    def creep_hours(self, subject):
        """(recent non-billable, recent total, baseline non-billable, baseline
        total) hours of ("project" | "employee", id)."""
        return (
            self._get("recent", "nb", subject)[0],
            self._get("recent", "total", subject)[0],
            self._get("base", "nb", subject)[0],
            self._get("base", "total", subject)[0],
        )

    def _engagements(self, Line, recent_from, recent_to):
        self.engagements = self.projects.agency_engagement_id.sudo()
        engagements = self.engagements
        self.engagement_count = defaultdict(int)
        self.effort = defaultdict(float)
        self.recent_effort = defaultdict(float)
        self.retainers = {}
        self.retainer_project = {}
        self.period_hours = defaultdict(float)
        self.retainer_entries = defaultdict(int)
        self.retainer_pace = defaultdict(float)
        if not engagements:
            return
        on_engagements = [*APPROVED, ("agency_engagement_id", "in", engagements.ids)]
        rows = Line._read_group(
            on_engagements,
            ["agency_engagement_id", "agency_rate_currency_id"],
            ["agency_amount:sum", "__count"],
        )
        recent_rows = Line._read_group(
            [
                *on_engagements,
                ("date", ">=", recent_from),
                ("date", "<=", recent_to),
            ],
            ["agency_engagement_id", "agency_rate_currency_id"],
            ["agency_amount:sum"],
        )
        for engagement, currency, amount, count in rows:
            self.engagement_count[engagement.id] += count
            self.effort[engagement.id] += self._convert(currency, amount, engagement)
        for engagement, currency, amount in recent_rows:
            self.recent_effort[engagement.id] += self._convert(
                currency, amount, engagement
            )
        retainers = engagements.filtered(lambda e: e.kind == "retainer")
        periods = {}
        for engagement in retainers:
            first, last = rules.retainer_period(
                self.today, engagement.retainer_period or "month"
            )
            if engagement.included_hours <= 0 or not engagement.project_ids:
                continue
            if engagement.date_start and engagement.date_start > self.today:
                continue
            if engagement.date_end and engagement.date_end < first:
                continue
            periods[engagement] = (max(first, engagement.date_start or first), last)
            self.retainer_project[engagement.id] = engagement.project_ids.sorted("id")[
                :1
            ]
        self.retainers = periods
        if periods:
            earliest = min(recent_from, *(first for first, _last in periods.values()))
            rows = Line._read_group(
                [
                    *LOGGED,
                    ("agency_engagement_id", "in", [e.id for e in periods]),
                    ("date", ">=", earliest),
                    ("date", "<=", self.today),
                ],
                ["agency_engagement_id", "date:day"],
                ["unit_amount:sum", "__count"],
            )
            for engagement, day, hours, count in rows:
                first, last = periods[engagement]
                day = fields.Date.to_date(day)
                if first <= day <= last:
                    self.period_hours[engagement.id] += hours
                if recent_from <= day <= recent_to:
                    self.retainer_pace[engagement.id] += hours
                # what drives it: the period's time and the recent pace's
                if day >= min(first, recent_from):
                    self.retainer_entries[engagement.id] += count

    def _convert(self, currency, amount, engagement):
        company = engagement.company_id
        if not currency or currency == company.currency_id:
            return amount or 0.0
        return currency._convert(
            amount or 0.0, company.currency_id, company, self.today, round=False
        )

    def amount_budget(self, engagement):
        """The engagement's budget in the company's currency: a fixed fee with
        its change orders, else the not-to-exceed cap (0: none)."""
        if engagement.kind == "fixed_fee":
            budget = engagement.fee_total
        elif engagement.kind == "time_materials":
            budget = engagement.cap_amount
        else:
            budget = 0.0
        return self._convert(engagement.currency_id, budget, engagement)
