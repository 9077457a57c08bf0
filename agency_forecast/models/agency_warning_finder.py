"""The early warnings' finders: for each rule, the warnings that a set of
facts (:class:`~odoo.addons.agency_forecast.warning_facts.WarningFacts`) gives,
as ``{key: values}`` ready for ``agency.warning``, which inherits this mixin
and keeps the standing warnings in line with what is found. The thresholds
are the company's; the arithmetic is ``warning_rules.py``'s."""

import json
import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from odoo.addons.agency_billing.models.check_rules import hours_text

from .. import warning_rules as rules
from ..warning_facts import APPROVED, LOGGED

_logger = logging.getLogger(__name__)


class AgencyWarningFinder(models.AbstractModel):
    _name = "agency.warning.finder"
    _description = "Agency Early Warning Finders"

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
