"""security/access_matrix.csv is the truth about who may do what.

For every model the add-ons define or extend, and for an internal user without
any Agency group plus one user per Agency group, the matrix says whether they may
read / write / create / delete, which records they read (scope) and which of the
add-ons' fields they cannot see. This test builds those users and sample records
in the real database and checks the installed ACLs, record rules and field groups
against it. A model that the add-ons define or extend but the matrix omits fails.

Scopes (what a read returns, within the user's current company):
  none      nothing (the model is readable, but no rule gives them a record)
  own       their own records (their timesheet entries, their employee)
  project   their own, plus those of the projects they manage
  company   every record of their company (and shared ones without a company)
  all       every record, other companies' too (stock Odoo's rule for users)
Only `all` reads records of another company.

Groups beside the ladder (EXTRA_GROUPS: the champions) have rows only for the
models they open; for every other model they may do exactly what an internal
user may (checked: the group grants nothing the matrix does not name).

TestHiddenFieldsOverRpc proves the hidden columns through real HTTP JSON-RPC
sessions of each group (read, search_read, export, filter, order, group, sum),
and that Billing, Administrators and people without an Agency level still read
stock Odoo's money fields.
"""

import base64
import csv
import os
from collections import defaultdict

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.agency_forecast.report.agency_margin_fact import fact_ids
from odoo.addons.agency_timesheet.tests.common import GROUPS, AgencyCase

from .rpc import call_kw

MATRIX = os.path.join(os.path.dirname(__file__), "..", "security", "access_matrix.csv")
ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")
OPERATIONS = ("read", "write", "create", "unlink")
# Groups beside the ladder: a user of base.group_user plus the group.
EXTRA_GROUPS = {"champion": "agency_timesheet.group_agency_champion"}
SCOPES = {
    "none": set(),
    "own": {"own"},
    "project": {"own", "project"},
    "company": {"own", "project", "company"},
    "all": {"own", "project", "company", "other_company"},
}


def stranger_id(env):
    """An employee for the personal data export's sample."""
    return env["hr.employee"].search([("name", "=", "Matrix Stranger")], limit=1).id


def load_matrix():
    with open(MATRIX, newline="", encoding="utf-8") as handle:
        rows = [
            row for row in csv.DictReader(handle) if not row["model"].startswith("#")
        ]
    matrix = defaultdict(dict)
    for row in rows:
        matrix[row["model"]][row["group"]] = row
    return matrix


@tagged("post_install", "-at_install")
class TestAccessMatrix(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = load_matrix()
        cls.other_company = cls.env["res.company"].create({"name": "Matrix Other Co"})
        for user in cls.users.values():
            user.company_ids = [(4, cls.other_company.id)]
        cls.samples = cls._build_samples()
        cls.extra_users = {
            level: new_test_user(
                cls.env,
                login=f"matrix_{level}",
                groups=f"base.group_user,{group}",
                name=f"Matrix {level}",
            )
            for level, group in EXTRA_GROUPS.items()
        }

    def user_of(self, level):
        return self.users.get(level) or self.extra_users[level]

    def rows_of(self, rows):
        """The rows of a model, the extra groups' included (an internal
        user's rights where the matrix names none for them)."""
        return {
            **rows,
            **{
                level: {**rows["internal"], "group": level}
                for level in EXTRA_GROUPS
                if level not in rows
            },
        }

    # -- sample records, labelled by how they relate to the user reading them --
    @classmethod
    def _build_samples(cls):
        """{model: {level: {label: record}}} for every model with records."""
        env = cls.env
        stranger = env["hr.employee"].create({"name": "Matrix Stranger"})
        far = env["hr.employee"].create(
            {"name": "Matrix Far Away", "company_id": cls.other_company.id}
        )
        far_project = env["project.project"].create(
            {
                "name": "Far project",
                "company_id": cls.other_company.id,
                "allow_timesheets": True,
            }
        )
        somebody_elses = env["project.project"].create(
            {"name": "Somebody else's", "allow_timesheets": True}
        )
        far_line = cls.log(far, 1.0, project_id=far_project.id, task_id=False)
        company_line = cls.log(
            stranger, 1.0, project_id=somebody_elses.id, task_id=False
        )
        lines = {}
        for level, user in cls.users.items():
            managed = env["project.project"].create(
                {
                    "name": f"{level}'s project",
                    "allow_timesheets": True,
                    "user_id": user.id,
                }
            )
            lines[level] = {
                "own": cls.log(
                    cls.employees[level],
                    1.0,
                    project_id=somebody_elses.id,
                    task_id=False,
                ),
                "project": cls.log(stranger, 1.0, project_id=managed.id, task_id=False),
                "company": company_line,
                "other_company": far_line,
            }
        roles = {
            "company": env["agency.role"].create(
                {"name": "Matrix Local", "code": "MLOC", "company_id": cls.company.id}
            ),
            "other_company": env["agency.role"].create(
                {
                    "name": "Matrix Far",
                    "code": "MFAR",
                    "company_id": cls.other_company.id,
                }
            ),
        }
        employees = {
            level: {
                "own": cls.employees[level],
                "company": stranger,
                "other_company": far,
            }
            for level in cls.users
        }
        stranger.user_id = cls.new_user("matrix_stranger", "user")
        far.user_id = cls.new_user(
            "matrix_far",
            "user",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )

        def timer(user, project, company=None):
            return env["agency.timer"].create(
                {
                    "user_id": user.id,
                    "project_id": project.id,
                    "company_id": (company or cls.company).id,
                    "state": "paused",
                    "note": "private note",
                }
            )

        company_timer = timer(stranger.user_id, somebody_elses)
        far_timer = timer(far.user_id, far_project, cls.other_company)
        timers = {}
        for level, user in cls.users.items():
            managed = lines[level]["project"].project_id
            timers[level] = {
                "own": timer(user, somebody_elses),
                "project": timer(stranger.user_id, managed),
                "company": company_timer,
                "other_company": far_timer,
            }
        users = {
            level: {
                "own": user,
                "company": stranger.user_id,
                "other_company": far.user_id,
            }
            for level, user in cls.users.items()
        }
        companies = {
            level: {"company": cls.company, "other_company": cls.other_company}
            for level in cls.users
        }
        task = env["project.task"].create(
            {"name": "Matrix task", "project_id": somebody_elses.id}
        )
        far_task = env["project.task"].create(
            {"name": "Matrix far task", "project_id": far_project.id}
        )
        tasks = {
            level: {"company": task, "other_company": far_task} for level in cls.users
        }
        rates = {
            "company": env["agency.rate"].create(
                {
                    "role_id": roles["company"].id,
                    "bill_rate": 100.0,
                    "currency_id": cls.company.currency_id.id,
                }
            ),
            "other_company": env["agency.rate"].create(
                {
                    "company_id": cls.other_company.id,
                    "role_id": roles["other_company"].id,
                    "bill_rate": 100.0,
                    "currency_id": cls.other_company.currency_id.id,
                }
            ),
        }
        # Previews (rate card, re-rate) belong to whoever opened them.
        previews = {
            "agency.rate.import": {},
            "agency.rate.import.line": {},
            "agency.rate.card": {},
            "agency.rate.card.line": {},
            "agency.rerate.wizard": {},
            "agency.rerate.wizard.line": {},
        }
        somebody = cls.new_user("matrix_biller", "billing")

        def open_previews(user):
            card = env["agency.rate.card"].with_user(user).create({})
            rerate = (
                env["agency.rerate.wizard"]
                .with_user(user)
                .create({"entry_ids": [(6, 0, company_line.ids)]})
            )
            rate_import = env["agency.rate.import"].with_user(user).create(
                {
                    "line_ids": [
                        (0, 0, {"currency_id": cls.company.currency_id.id,
                                "bill_rate": 100.0}),
                    ]
                }
            )  # fmt: skip
            return {
                "agency.rate.import": rate_import,
                "agency.rate.import.line": rate_import.line_ids,
                "agency.rate.card": card,
                "agency.rate.card.line": card.line_ids[:1],
                "agency.rerate.wizard": rerate,
                "agency.rerate.wizard.line": rerate.line_ids[:1],
            }

        theirs = open_previews(somebody)
        for level in ("billing", "admin"):
            mine = open_previews(cls.users[level])
            for model, records in previews.items():
                records[level] = {"own": mine[model], "company": theirs[model]}
        Audit = env["agency.audit"].sudo()
        audits = {
            "company": Audit._log(task, "write", reason="matrix"),
            "other_company": Audit.with_company(cls.other_company)._log(
                far_task, "write", reason="matrix"
            ),
        }
        # Wizards (transient): Odoo lets only their creator read them.
        Wizard = env["agency.approval.wizard"]
        stranger_wizard = Wizard.with_user(cls.users["admin"]).create(
            {"reason": "stranger's"}
        )
        wizards = {
            level: {
                "own": Wizard.with_user(user).create({"reason": "mine"})
                if level in ("producer", "billing", "admin")
                else Wizard.create({"reason": "none"}),
                "company": stranger_wizard
                if level != "admin"
                else Wizard.create({"reason": "superuser's"}),
            }
            for level, user in cls.users.items()
        }
        Review = env["agency.week.review"]
        stranger_review = Review.with_user(cls.users["admin"]).create({})
        reviews = {
            level: {
                "own": Review.with_user(user).create({})
                if level in ("producer", "billing", "admin")
                else Review.create({}),
                "company": stranger_review if level != "admin" else Review.create({}),
            }
            for level, user in cls.users.items()
        }
        Consistency = env["agency.consistency"].sudo()

        def standing(employee, company=None):
            return Consistency.create(
                {"employee_id": employee.id, "company_id": (company or cls.company).id}
            )

        company_standing = standing(stranger)
        far_standing = standing(far, cls.other_company)
        standings = {
            level: {
                "own": standing(cls.employees[level]),
                "company": company_standing,
                "other_company": far_standing,
            }
            for level in cls.users
        }
        adoption = cls._build_adoption_samples(stranger, far)
        suggestions = cls._build_suggestion_samples(
            lines, stranger.user_id, far.user_id, far_project
        )
        billing = cls._build_billing_samples(lines, far_project, somebody)
        # Margin facts (a SQL view): the rows of the sample adjustments.
        Fact = env["agency.margin.fact"]
        billing["agency.margin.fact"] = {
            level: {
                label: Fact.browse(fact_ids(adjustment))
                for label, adjustment in records.items()
            }
            for level, records in billing["agency.billing.adjustment"].items()
        }
        # Weekly margin facts (stored): the week rows of those adjustments.
        Week = env["agency.margin.week"]
        billing["agency.margin.week"] = {
            level: {
                label: Week.search(
                    [
                        ("engagement_id", "=", adjustment.engagement_id.id),
                        ("kind", "=", "adjustment"),
                        ("company_id", "=", adjustment.company_id.id),
                    ],
                    limit=1,
                )
                for label, adjustment in records.items()
            }
            for level, records in billing["agency.billing.adjustment"].items()
        }
        # Billing cycle times (a SQL view): one row per engagement in a run.
        billing["agency.cycle.time"] = {
            level: {
                label: env["agency.cycle.time"].browse(line.id)
                for label, line in records.items()
            }
            for level, records in billing["agency.billing.run.line"].items()
        }
        return {
            **cls._build_activity_samples(somebody_elses, far_project),
            **cls._build_import_samples(lines),
            **billing,
            **cls._build_warning_samples(lines, far_project, somebody),
            **cls._build_booking_samples(lines, stranger, far, far_project),
            **cls._build_forecast_samples(),
            **previews,
            **cls._build_expense_samples(stranger, far),
            "agency.rate": {level: rates for level in cls.users},
            **suggestions,
            "agency.approval.wizard": wizards,
            "agency.consistency": standings,
            **adoption,
            "agency.week.review": reviews,
            "agency.audit": {level: audits for level in cls.users},
            "agency.timer": timers,
            "res.users": users,
            "res.company": companies,
            "project.task": tasks,
            "account.analytic.line": lines,
            "timesheets.analysis.report": {
                level: {
                    k: env["timesheets.analysis.report"].browse(v.id)
                    for k, v in recs.items()
                }
                for level, recs in lines.items()
            },
            **cls._build_cost_samples(lines, stranger, far, far_project),
            "agency.role": {level: roles for level in cls.users},
            "hr.employee": employees,
            "hr.employee.public": {
                level: {
                    k: env["hr.employee.public"].browse(v.id) for k, v in recs.items()
                }
                for level, recs in employees.items()
            },
        }

    @classmethod
    def _build_activity_samples(cls, project, far_project):
        """Activity mappings (repository → project): one of this company's and
        one of the other's."""
        Mapping = cls.env["agency.activity.mapping"]
        local = Mapping.create(
            {"kind": "repository", "key": "matrix/web", "project_id": project.id}
        )
        far = Mapping.create(
            {
                "kind": "repository",
                "key": "matrix/far",
                "project_id": far_project.id,
                "company_id": cls.other_company.id,
            }
        )
        return {
            "agency.activity.mapping": {
                level: {"company": local, "other_company": far} for level in cls.users
            }
        }

    @classmethod
    def _build_import_samples(cls, lines):
        """Import batches, their mapping, rejected rows and created records:
        one of this company's and one of the other's where they carry one."""
        env = cls.env

        def batch(company):
            template = env["agency.import.template"].create(
                {"name": "Matrix", "source": "harvest", "company_id": company.id}
            )
            mapping = env["agency.import.mapping"].create(
                {"template_id": template.id, "kind": "client", "name": "Matrix"}
            )
            record = env["agency.import.batch"].create(
                {
                    "file": base64.b64encode(b"Date\n"),
                    "filename": "matrix.csv",
                    "company_id": company.id,
                    "template_id": template.id,
                    "reject_ids": [(0, 0, {"line": 2, "reason": "matrix"})],
                }
            )
            created = env["agency.import.record"].create(
                {"batch_id": record.id, "line_id": lines["user"]["own"].id}
            )
            return {
                "agency.import.batch": record,
                "agency.import.template": template,
                "agency.import.mapping": mapping,
                "agency.import.reject": record.reject_ids,
                "agency.import.record": created,
            }

        local, far = batch(cls.company), batch(cls.other_company)
        local_batch = local["agency.import.batch"]
        # the first screen of an import: its creator's only
        Wizard = env["agency.import.wizard"]
        admin = cls.users["admin"]
        dialogs = {
            "admin": {
                "own": Wizard.with_user(admin).create({"file": base64.b64encode(b"x")}),
                "company": Wizard.create({"file": base64.b64encode(b"x")}),
            }
        }
        samples = {
            model: {
                level: {"company": record, "other_company": far[model]}
                for level in cls.users
            }
            for model, record in local.items()
        }
        # rejected rows have no company of their own: the batch's rule hides
        # them only through the batch, so the matrix reads this company's
        samples["agency.import.reject"] = {
            level: {"company": local["agency.import.reject"]} for level in cls.users
        }
        samples["agency.import.wizard"] = dialogs
        # the compliance screens (retention preview, personal data export,
        # rate visibility): their creator's only
        for model, vals in (
            ("agency.retention.preview", {}),
            ("agency.personal.export", {"employee_id": stranger_id(env)}),
            ("agency.rate.visibility", {"what": "Bill rates"}),
        ):
            samples[model] = {
                "admin": {
                    "own": env[model].with_user(admin).create(vals),
                    "company": env[model].create(vals),
                }
            }
        # engagements proposed from a batch's history: their creator's only
        Proposal = env["agency.engagement.import"]
        proposals = {
            "own": Proposal.with_user(admin).create({"batch_id": local_batch.id}),
            "company": Proposal.create({"batch_id": local_batch.id}),
        }
        samples["agency.engagement.import"] = {"admin": proposals}
        samples["agency.engagement.import.line"] = {
            "admin": {
                label: env["agency.engagement.import.line"]
                .with_user(admin if label == "own" else env.user)
                .create(
                    {
                        "wizard_id": wizard.id,
                        "name": "Matrix engagement",
                        "partner_id": cls.env.user.partner_id.id,
                        "project_id": lines["user"]["own"].project_id.id,
                        "currency_id": cls.company.currency_id.id,
                    }
                )
                for label, wizard in proposals.items()
            }
        }
        return samples

    @classmethod
    def _build_warning_samples(cls, lines, far_project, somebody):
        """Early warnings: an hours warning of the project each user manages,
        a money warning of another project, one of another company; and the
        acknowledge dialog (its author's own)."""
        Warning = cls.env["agency.warning"].sudo()

        def warning(project, rule="budget_hours", company=None):
            return Warning.create(
                {
                    "name": f"Matrix {rule} {project.name}",
                    "rule": rule,
                    "key": f"matrix:{rule}:{project.id}",
                    "company_id": (company or cls.company).id,
                    "project_id": project.id,
                    "first_seen": "2026-03-02",
                    "last_seen": "2026-03-02",
                }
            )

        company = warning(lines["user"]["company"].project_id, "margin")
        far = warning(far_project, company=cls.other_company)
        warnings = {
            level: {
                "project": warning(lines[level]["project"].project_id),
                "company": company,
                "other_company": far,
            }
            for level in cls.users
        }
        Dialog = cls.env["agency.warning.acknowledge"]
        theirs = Dialog.with_user(somebody).create({})
        dialogs = {
            level: {
                "own": Dialog.with_user(cls.users[level]).create({}),
                "company": theirs,
            }
            for level in ("producer", "billing", "admin")
        }
        # what approving leaves for the warnings' minute job: no company of
        # its own, read by Administrators only (they are all one queue)
        mark = (
            cls.env["agency.warning.mark"].sudo().create({"project_id": far_project.id})
        )
        return {
            "agency.warning": warnings,
            "agency.warning.acknowledge": dialogs,
            "agency.warning.mark": {level: {"company": mark} for level in cls.users},
        }

    @classmethod
    def _build_booking_samples(cls, lines, stranger, far, far_project):
        """Bookings: the user's own, one of a project they manage, another
        person's on another project, one of the other company."""
        Booking = cls.env["agency.booking"].sudo()
        elsewhere = lines["user"]["company"].project_id

        def booking(employee, project, company=None):
            return Booking.create(
                {
                    "employee_id": employee.id,
                    "role_id": employee.role_id.id or cls.role_designer.id,
                    "project_id": project.id,
                    "company_id": (company or cls.company).id,
                    "date_from": "2026-03-02",
                    "date_to": "2026-03-08",
                    "hours": 8.0,
                }
            )

        company = booking(stranger, elsewhere)
        far_booking = booking(far, far_project, cls.other_company)
        return {
            "agency.booking": {
                level: {
                    "own": booking(cls.employees[level], elsewhere),
                    "project": booking(stranger, lines[level]["project"].project_id),
                    "company": company,
                    "other_company": far_booking,
                }
                for level in cls.users
            }
        }

    @classmethod
    def _build_forecast_samples(cls):
        """Forecast scenarios (each company has its defaults) and a drill-down
        line of each company's."""
        Scenario = cls.env["agency.forecast.scenario"].sudo()
        here = Scenario.create(
            {"name": "Matrix scenario", "company_id": cls.company.id}
        )
        far_company = cls.other_company
        far = Scenario.create(
            {"name": "Matrix far scenario", "company_id": far_company.id}
        )
        Line = cls.env["agency.forecast.line"].sudo()
        lines = {
            "company": Line.create({"scenario_id": here.id, "kind": "time"}),
            "other_company": Line.create({"scenario_id": far.id, "kind": "time"}),
        }
        scenarios = {"company": here, "other_company": far}
        # snapshots, their figures and accuracy rows (frozen by the system),
        # board packs: one in each company
        Snapshot = cls.env["agency.forecast.snapshot"].sudo()
        snapshots, figures, accuracy, packs = {}, {}, {}, {}
        for label, company in (
            ("company", cls.company),
            ("other_company", far_company),
        ):
            snapshot = Snapshot.with_context(agency_freeze=True).create(
                {
                    "name": f"Matrix snapshot {label}",
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "date": "2026-03-18",
                    "line_ids": [Command.create({
                        "figure": "billings", "month": "2026-04-01", "amount": 5.0,
                    })],
                }
            )  # fmt: skip
            snapshots[label] = snapshot
            figures[label] = snapshot.line_ids
            accuracy[label] = (
                cls.env["agency.forecast.accuracy"]
                .sudo()
                .search([("snapshot_id", "=", snapshot.id)], limit=1)
            )
            packs[label] = (
                cls.env["agency.board.pack"]
                .sudo()
                .create({"name": f"Matrix pack {label}", "company_id": company.id})
            )
        return {
            "agency.forecast.scenario": {level: scenarios for level in cls.users},
            "agency.forecast.line": {level: lines for level in cls.users},
            "agency.forecast.snapshot": {level: snapshots for level in cls.users},
            "agency.forecast.snapshot.line": {level: figures for level in cls.users},
            "agency.forecast.accuracy": {level: accuracy for level in cls.users},
            "agency.board.pack": {level: packs for level in cls.users},
        }

    @classmethod
    def _build_cost_samples(cls, lines, stranger, far, far_project):
        """Stock records that carry costs: analytic accounts (their balances)
        and distribution models (agency_billing reads them once per run),
        sale_timesheet's per-person prices of a project, project updates (their
        profitability); and the technical group that hides them (res.groups)."""
        env = cls.env
        plan = env["account.analytic.plan"].create({"name": "Matrix plan"})
        accounts = {
            "company": env["account.analytic.account"].create(
                {"name": "Matrix account", "plan_id": plan.id}
            ),
            "other_company": env["account.analytic.account"].create(
                {
                    "name": "Matrix far account",
                    "plan_id": plan.id,
                    "company_id": cls.other_company.id,
                }
            ),
        }
        Map = env["project.sale.line.employee.map"]
        somebody_elses = lines["user"]["company"].project_id
        prices = {
            "company": Map.create(
                {"project_id": somebody_elses.id, "employee_id": stranger.id}
            ),
            "other_company": Map.create(
                {"project_id": far_project.id, "employee_id": far.id}
            ),
        }
        group = env.ref("agency_timesheet.group_agency_costs_visible")
        updates = {
            "company": env["project.update"].create(
                {
                    "name": "Matrix update",
                    "project_id": somebody_elses.id,
                    "status": "on_track",
                }
            ),
            "other_company": env["project.update"].create(
                {
                    "name": "Matrix far update",
                    "project_id": far_project.id,
                    "status": "on_track",
                }
            ),
        }
        Model = env["account.analytic.distribution.model"]
        distributions = {
            label: Model.create(
                {
                    "analytic_distribution": {str(account.id): 100},
                    "company_id": company.id,
                }
            )
            for label, account, company in (
                ("company", accounts["company"], cls.company),
                ("other_company", accounts["other_company"], cls.other_company),
            )
        }
        return {
            "project.update": {level: updates for level in cls.users},
            "account.analytic.account": {level: accounts for level in cls.users},
            "account.analytic.distribution.model": {
                level: distributions for level in cls.users
            },
            "project.sale.line.employee.map": {level: prices for level in cls.users},
            "res.groups": {level: {"company": group} for level in cls.users},
        }

    @classmethod
    def _build_billing_samples(cls, lines, far_project, somebody):
        """Engagements, billing runs and what hangs on them, invoices, and the
        projects they bill: one of this company's and one of the other's."""
        env = cls.env
        # the other company first: it is the environment's company
        far_env = env(
            context=dict(
                env.context,
                allowed_company_ids=[cls.other_company.id, cls.company.id],
            )
        )
        client = env["res.partner"].create(
            {"name": "Matrix Client", "is_company": True}
        )

        def conveyor(scoped):
            engagement = scoped["agency.engagement"].create(
                {"name": "Matrix T&M", "partner_id": client.id}
            )
            run = scoped["agency.billing.run"].create(
                {
                    "date_to": "2026-03-31",
                    "invoice_date": "2026-04-01",
                    "engagement_ids": [(6, 0, engagement.ids)],
                }
            )
            run_line = scoped["agency.billing.run.line"].create(
                {"run_id": run.id, "engagement_id": engagement.id}
            )
            check = scoped["agency.billing.check"].create(
                {
                    "run_id": run.id,
                    "run_line_id": run_line.id,
                    "code": "currency",
                    "severity": "warning",
                    "owner_id": somebody.id,
                    "message": "matrix",
                }
            )
            adjustment = scoped["agency.billing.adjustment"].create(
                {
                    "run_line_id": run_line.id,
                    "direction": "up",
                    "basis": "amount",
                    "amount": 10.0,
                    "reason": "other",
                    "note": "matrix",
                }
            )
            fixed = scoped["agency.engagement"].create(
                {
                    "name": "Matrix fixed fee",
                    "partner_id": client.id,
                    "kind": "fixed_fee",
                    "fee_amount": 100.0,
                    "schedule_line_ids": [
                        (0, 0, {"name": "All", "date_due": "2026-03-01",
                                "percent": 100.0}),
                    ],
                }
            )  # fmt: skip
            change = scoped["agency.change.order"].create(
                {
                    "engagement_id": fixed.id,
                    "name": "Matrix CO",
                    "amount": 10.0,
                    "reason": "matrix",
                }
            )
            retainer = scoped["agency.engagement"].create(
                {
                    "name": "Matrix retainer",
                    "partner_id": client.id,
                    "kind": "retainer",
                    "date_start": "2026-01-01",
                    "date_end": "2026-01-31",
                    "included_hours": 5.0,
                }
            )
            period = scoped["agency.retainer.period"]._agency_ensure_periods(
                retainer, retainer.date_end
            )
            tag = scoped["project.tags"].create(
                {"name": f"Matrix meetings {scoped.company.id}"}
            )
            override = scoped["agency.rounding.override"].create(
                {"engagement_id": engagement.id, "tag_id": tag.id, "increment": "30"}
            )
            multiplier = scoped["agency.rate.multiplier"].create(
                {"engagement_id": engagement.id, "kind": "weekend", "factor": 1.5}
            )
            tier = scoped["agency.discount.tier"].create(
                {"engagement_id": engagement.id, "threshold": 200.0, "percent": 5.0}
            )
            contract_rate = scoped["agency.contract.rate"].create(
                {
                    "engagement_id": engagement.id,
                    "currency_id": scoped.ref("base.EUR").id
                    if scoped.company.currency_id != scoped.ref("base.EUR")
                    else scoped.ref("base.GBP").id,
                    "rate": 1.17,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                }
            )
            budget = scoped["agency.phase.budget"].create(
                {"engagement_id": engagement.id, "tag_id": tag.id, "limit": 80.0}
            )
            return {
                "agency.discount.tier": tier,
                "agency.contract.rate": contract_rate,
                "agency.phase.budget": budget,
                "agency.rate.multiplier": multiplier,
                "agency.rounding.override": override,
                "agency.engagement.schedule": fixed.schedule_line_ids[:1],
                "agency.change.order": change,
                "agency.retainer.period": period,
                "agency.engagement": engagement,
                "agency.billing.run": run,
                "agency.billing.run.line": run_line,
                "agency.billing.check": check,
                "agency.billing.adjustment": adjustment,
            }

        local = conveyor(env)
        far = conveyor(far_env)
        samples = {
            model: {
                level: {"company": record, "other_company": far[model]}
                for level in cls.users
            }
            for model, record in local.items()
        }
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "invoice_line_ids": [(0, 0, {"name": "Matrix", "price_unit": 10.0})],
            }
        )
        Account = far_env["account.account"]
        far_accounts = [
            Account.create(
                {
                    "name": f"Matrix {code}",
                    "code": code,
                    "account_type": "asset_current",
                    "company_ids": [(6, 0, cls.other_company.ids)],
                }
            )
            for code in ("MX1", "MX2")
        ]
        far_journal = far_env["account.journal"].create(
            {
                "name": "Matrix Misc",
                "code": "MXM",
                "type": "general",
                "company_id": cls.other_company.id,
            }
        )
        far_move = far_env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": far_journal.id,
                "line_ids": [
                    (0, 0, {"account_id": far_accounts[0].id, "debit": 5.0}),
                    (0, 0, {"account_id": far_accounts[1].id, "credit": 5.0}),
                ],
            }
        )
        samples["account.move"] = {
            level: {"company": invoice, "other_company": far_move}
            for level in cls.users
        }
        samples["account.move.line"] = {
            level: {
                "company": invoice.invoice_line_ids,
                "other_company": far_move.line_ids[:1],
            }
            for level in cls.users
        }
        somebody_elses = lines["user"]["company"].project_id
        samples["project.project"] = {
            level: {
                "project": lines[level]["project"].project_id,
                "company": somebody_elses,
                "other_company": far_project,
            }
            for level in cls.users
        }
        # Dialogs belong to whoever opened them: the exclusion dialog.
        Exclude = env["agency.billing.exclude.wizard"]
        theirs = Exclude.with_user(somebody).create(
            {"run_id": local["agency.billing.run"].id, "reason": "theirs"}
        )
        samples["agency.billing.exclude.wizard"] = {
            level: {
                "own": Exclude.with_user(cls.users[level]).create(
                    {"run_id": local["agency.billing.run"].id, "reason": "mine"}
                ),
                "company": theirs,
            }
            for level in ("billing", "admin")
        }
        # Stock Odoo's credit note dialog has no owner rule: billing reads all.
        Reversal = env["account.move.reversal"]

        def reversal(user):
            return Reversal.with_user(user).create(
                {"move_ids": [(6, 0, invoice.ids)], "journal_id": invoice.journal_id.id}
            )

        theirs = reversal(somebody)
        samples["account.move.reversal"] = {
            level: {"own": reversal(cls.users[level]), "company": theirs}
            for level in ("billing", "admin")
        }
        return samples

    @classmethod
    def _build_suggestion_samples(cls, lines, stranger, far_user, far_project):
        """Suggestions and their dialogs: private to their person, always.

        Labelled as for timesheet lines, so that a producer's 'project' sample
        (a teammate's suggestion on the project they manage) proves they do not
        read it.
        """
        env = cls.env
        Suggestion = env["agency.suggestion"]

        def suggestion(user, project, company=None):
            return Suggestion.create(
                {
                    "user_id": user.id,
                    "company_id": (company or cls.company).id,
                    "date": "2026-03-02",
                    "source": "calendar",
                    "source_key": f"matrix:{user.id}:{project.id}",
                    "project_id": project.id,
                    "hours": 1.0,
                    "name": "private meeting",
                    "reason": "Meeting 'private' 10:00-11:00",
                }
            )

        somebody_elses = lines["user"]["own"].project_id
        company_suggestion = suggestion(stranger, somebody_elses)
        far_suggestion = suggestion(far_user, far_project, cls.other_company)
        suggestions, dialogs = {}, defaultdict(dict)
        for level, user in cls.users.items():
            suggestions[level] = {
                "own": suggestion(user, somebody_elses),
                "project": suggestion(stranger, lines[level]["project"].project_id),
                "company": company_suggestion,
                "other_company": far_suggestion,
            }
        for model in ("agency.suggestion.generate", "agency.suggestion.import"):
            theirs = env[model].with_user(stranger).create({})
            for level, user in cls.users.items():
                if level != "internal":
                    dialogs[model][level] = {
                        "own": env[model].with_user(user).create({}),
                        "company": theirs,
                    }
        return {"agency.suggestion": suggestions, **dialogs}

    @classmethod
    def _build_adoption_samples(cls, stranger, far):
        """Reminders sent and adoption rows (company scope: producers and up);
        feedback dialogs (their writer only)."""
        env = cls.env
        Log = env["agency.reminder.log"].sudo()
        logs = {
            "company": Log.create(
                {
                    "employee_id": stranger.id,
                    "sent_on": "2026-03-03",
                    "day": "2026-03-02",
                }
            ),
            "other_company": Log.create(
                {"employee_id": far.id, "sent_on": "2026-03-03", "day": "2026-03-02"}
            ),
        }
        Week = env["agency.adoption.week"].sudo()
        weeks = {
            "company": Week.create(
                {"company_id": cls.company.id, "week_start": "2026-03-02"}
            ),
            "other_company": Week.create(
                {"company_id": cls.other_company.id, "week_start": "2026-03-02"}
            ),
        }
        Feedback = env["agency.feedback"]
        theirs = Feedback.with_user(cls.users["admin"]).create({"body": "theirs"})
        feedback = {
            level: {
                "own": Feedback.with_user(user).create({"body": "mine"}),
                "company": theirs if level != "admin" else Feedback.create({}),
            }
            for level, user in cls.users.items()
            if level != "internal"
        }
        # the billing cycle per month (a SQL view): the demo's posted runs
        month = env["agency.adoption.month"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        months = {"company": month} if month else {}
        return {
            "agency.reminder.log": {level: logs for level in cls.users},
            "agency.adoption.week": {level: weeks for level in cls.users},
            "agency.adoption.month": {
                level: months for level in [*cls.users, *EXTRA_GROUPS]
            },
            "agency.feedback": feedback,
            # the role tours (stock's model, shared by every company)
            "web_tour.tour": {
                level: {
                    "company": env.ref(
                        "agency_timesheet.agency_onboarding_creative_tour"
                    )
                }
                for level in cls.users
            },
        }

    @classmethod
    def _build_expense_samples(cls, stranger, far):
        """Expenses: each person's own draft one, a colleague's re-billed to a
        client (Billing reads it), one of another company; expense categories
        of the company and of another company."""
        env = cls.env
        client = env["res.partner"].create({"name": "Matrix Client"})
        engagement = env["agency.engagement"].create(
            {"name": "Matrix engagement", "partner_id": client.id}
        )
        billed = env["project.project"].create(
            {"name": "Matrix billed", "agency_engagement_id": engagement.id}
        )
        categories = {
            "company": env["product.template"].create(
                {
                    "name": "Matrix category",
                    "can_be_expensed": True,
                    "company_id": cls.company.id,
                }
            ),
            "other_company": env["product.template"].create(
                {
                    "name": "Matrix far category",
                    "can_be_expensed": True,
                    "company_id": cls.other_company.id,
                }
            ),
        }

        def expense(employee, company=None, **vals):
            company = company or cls.company
            return (
                env["hr.expense"]
                .with_company(company)
                .create(
                    {
                        "name": "Matrix expense",
                        "employee_id": employee.id,
                        "company_id": company.id,
                        "total_amount_currency": 10.0,
                        **vals,
                    }
                )
            )

        rebilled = expense(stranger, agency_project_id=billed.id, agency_rebill=True)
        far_expense = expense(far, cls.other_company)
        expenses = {
            level: {
                "own": expense(cls.employees[level]),
                "company": rebilled,
                "other_company": far_expense,
            }
            for level in cls.users
        }
        return {
            "hr.expense": expenses,
            "product.template": {level: categories for level in cls.users},
        }

    # -- what the add-ons touch --
    def _addon_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.model")]
        )
        names = self.env["ir.model"].browse(data.mapped("res_id")).mapped("model")
        return {name for name in names if not self.env[name]._abstract}

    def _addon_fields(self, model):
        return {
            name
            for name, field in self.env[model]._fields.items()
            if set(field._modules or ()) & set(ADDONS)
        }

    def test_every_model_is_in_the_matrix(self):
        missing = self._addon_models() - set(self.matrix)
        self.assertFalse(
            missing,
            f"security/access_matrix.csv has no rows for {sorted(missing)}: add "
            f"one row per group ({', '.join(GROUPS)}).",
        )
        for model, rows in self.matrix.items():
            self.assertEqual(
                set(rows) - set(EXTRA_GROUPS),
                set(GROUPS),
                f"{model}: one row per group",
            )

    def assertNoMismatch(self, mismatches):
        self.assertFalse(
            mismatches,
            "security/access_matrix.csv and the installed security disagree:\n  "
            + "\n  ".join(mismatches),
        )

    def test_acls(self):
        Access = self.env["ir.model.access"]
        mismatches = []
        for model, rows in self.matrix.items():
            for level, row in self.rows_of(rows).items():
                user = self.user_of(level)
                for operation in OPERATIONS:
                    expected = row[operation] == "1"
                    actual = Access.with_user(user).check(model, operation, False)
                    if actual != expected:
                        mismatches.append(
                            f"{model}: {level} may {operation}: matrix says "
                            f"{expected}, Odoo says {actual}"
                        )
        self.assertNoMismatch(mismatches)

    def test_read_scopes(self):
        mismatches = []
        for model, rows in self.matrix.items():
            samples = self.samples.get(model)
            for level, row in rows.items():  # the extra groups' own rows only
                if row["read"] != "1":
                    continue
                self.assertIn(row["scope"], SCOPES, f"{model}/{level}: scope")
                self.assertTrue(
                    samples,
                    f"{model} is readable but the test has no sample records for it: "
                    "add them to _build_samples.",
                )
                # an extra group reads what an internal user would be shown
                labelled = samples.get(level, samples.get("internal", {}))
                Model = (
                    self.env[model]
                    .with_user(self.user_of(level))
                    .with_context(allowed_company_ids=[self.company.id])
                )
                ids = [rec.id for rec in labelled.values()]
                seen = set(Model.search([("id", "in", ids)]).ids)
                visible = {label for label, rec in labelled.items() if rec.id in seen}
                expected = SCOPES[row["scope"]] & set(labelled)
                if visible != expected:
                    mismatches.append(
                        f"{model}: {level} reads {sorted(visible)}, matrix scope "
                        f"{row['scope']!r} means {sorted(expected)}"
                    )
        self.assertNoMismatch(mismatches)

    def _readable_sample(self, model, level):
        """A sample record of model that the user of level may read, if any."""
        for label in ("own", "project", "company"):
            record = self.samples.get(model, {}).get(level, {}).get(label)
            if record:
                record = record.with_user(self.user_of(level))
                if record.has_access("read"):
                    return record
        return None

    def test_hidden_fields(self):
        mismatches = []
        for model, rows in self.matrix.items():
            ours = self._addon_fields(model)
            for level, row in self.rows_of(rows).items():
                if row["read"] != "1":
                    continue
                Model = self.env[model].with_user(self.user_of(level))
                shown = set(Model.fields_get(attributes=["type"]))
                hidden = ours - shown
                expected = set(row["hidden_fields"].split())
                if hidden != expected:
                    mismatches.append(
                        f"{model}: hidden from {level}: {sorted(hidden)}, matrix says "
                        f"{sorted(expected)}"
                    )
                record = self._readable_sample(model, level)
                for name in hidden if record else ():
                    with self.assertRaises(AccessError, msg=f"{level} reads {name}"):
                        record.read([name])
        self.assertNoMismatch(mismatches)


# Stock Odoo's fields that carry costs or prices: the matrix hides them from
# Agency Users and Producers alongside the add-ons' own; everyone else reads
# them as in stock Odoo.
STOCK_MONEY_FIELDS = {
    "account.analytic.line": {"amount"},
    "timesheets.analysis.report": {"amount", "margin", "timesheet_revenues"},
    "project.project": {"analytic_account_balance"},
    "account.analytic.account": {"balance", "credit", "debit"},
    "project.sale.line.employee.map": {"cost", "price_unit"},
}
ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestHiddenFieldsOverRpc(AgencyCase, HttpCase):
    """The hidden columns of the matrix, proven through real HTTP JSON-RPC
    sessions of each group, as the web client and scripts call the server:
    a hidden field is left out of fields_get, and reading it (read,
    search_read), grouping on it or summing it (read_group), exporting it,
    filtering or ordering on it answer an access error that names it, never
    a value. Billing and Administrators (and people with no Agency role, as in
    stock Odoo) read the stock money fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.matrix = load_matrix()
        export = env.ref("base.group_allow_export")
        for index, (level, user) in enumerate(cls.users.items()):
            user.groups_id = [(4, export.id)]
            cls.employees[level].hourly_cost = 40.0 + index
        cls.project.partner_id = env["res.partner"].create({"name": "RPC Client"})
        if not cls.project.account_id:
            plan = env["account.analytic.plan"].create({"name": "RPC plan"})
            cls.project.account_id = env["account.analytic.account"].create(
                {"name": "RPC account", "plan_id": plan.id}
            )
        cls.lines = {
            level: cls.log(employee, 2.0) for level, employee in cls.employees.items()
        }
        cls.prices = env["project.sale.line.employee.map"].create(
            {"project_id": cls.project.id, "employee_id": cls.employees["user"].id}
        )
        category = env["product.product"].create(
            {"name": "RPC category", "can_be_expensed": True}
        )
        cls.category = category.product_tmpl_id
        cls.warning = env["agency.warning"].create(
            {
                "name": "RPC budget burn",
                "rule": "budget_hours",
                "key": "rpc:budget_hours",
                "company_id": cls.company.id,
                "project_id": cls.project.id,
                "amount": 10.0,
                "first_seen": "2026-03-02",
                "last_seen": "2026-03-02",
            }
        )
        cls.expenses = {
            level: env["hr.expense"].create(
                {
                    "name": f"RPC expense {level}",
                    "employee_id": employee.id,
                    "product_id": category.id,
                    "total_amount_currency": 12.0,
                }
            )
            for level, employee in cls.employees.items()
        }

    def sample(self, model, level):
        """Ids of records of model that level's user may read."""
        samples = {
            "account.analytic.line": self.lines[level].ids,
            "timesheets.analysis.report": self.lines[level].ids,
            "project.project": self.project.ids,
            "account.analytic.account": self.project.account_id.ids,
            "project.sale.line.employee.map": self.prices.ids,
            "hr.expense": self.expenses[level].ids,
            "product.template": self.category.ids,
            "agency.warning": self.warning.ids,
            "res.company": self.company.ids,
        }
        self.assertIn(
            model,
            samples,
            f"{model} has hidden fields: give TestHiddenFieldsOverRpc a sample.",
        )
        return samples[model]

    def call(self, level, model, method, args, **kwargs):
        """One /web/dataset/call_kw request in a session of the user of level
        (or of that login): the decoded JSON-RPC answer."""
        login = self.users[level].login if level in self.users else level
        return call_kw(self, login, model, method, args, kwargs)

    def probes(self, model, name, ids):
        """(what, method, args, kwargs) a client may try to learn a field."""
        field = self.env[model]._fields[name]
        domain = [("id", "in", ids)]
        yield "read", "read", [ids, [name]], {}
        yield "search_read", "search_read", [domain, [name]], {}
        yield "export", "export_data", [ids, [name]], {}
        if not field.store:
            return
        yield "filter", "search", [[*domain, (name, "!=", False)]], {}
        yield "order", "search", [domain], {"order": f"{name} desc"}
        yield "group by", "read_group", [domain, ["__count"], [name]], {}
        yield "web group by", "web_read_group", [domain, ["__count"], [name]], {}
        if field.type in ("float", "monetary", "integer"):
            yield "sum", "read_group", [domain, [f"{name}:sum"], ["id"]], {}
            yield "web sum", "web_read_group", [domain, [f"{name}:sum"], []], {}

    def test_hidden_fields_refused_over_rpc(self):
        mismatches = []
        checked = 0
        for model, rows in self.matrix.items():
            for level, row in rows.items():
                hidden = set(row["hidden_fields"].split())
                if row["read"] != "1" or not hidden:
                    continue
                ids = self.sample(model, level)
                answer = self.call(level, model, "fields_get", [], attributes=["type"])
                shown = set(answer["result"]) & hidden
                if shown:
                    mismatches.append(f"{model}: fields_get shows {level} {shown}")
                for name in sorted(hidden):
                    for what, method, args, kwargs in self.probes(model, name, ids):
                        answer = self.call(level, model, method, args, **kwargs)
                        checked += 1
                        error = answer.get("error", {}).get("data", {})
                        if error.get("name") != ACCESS_ERROR or name not in error.get(
                            "message", ""
                        ):
                            mismatches.append(
                                f"{model}.{name}: {level}'s {what} answers "
                                f"{answer.get('result', error.get('message'))!r}"
                            )
        self.assertGreater(checked, 100)
        self.assertFalse(
            mismatches,
            "Hidden fields a client could still learn over JSON-RPC:\n  "
            + "\n  ".join(mismatches),
        )

    def test_stock_money_fields_are_hidden_from_users_and_producers(self):
        for model, names in STOCK_MONEY_FIELDS.items():
            for level in ("user", "producer"):
                hidden = set(self.matrix[model][level]["hidden_fields"].split())
                self.assertLessEqual(names, hidden, f"{model}, {level}")
            for level in ("internal", "billing", "admin"):
                self.assertFalse(
                    names & set(self.matrix[model][level]["hidden_fields"].split()),
                    f"{model}: {level} reads stock's money fields as in stock Odoo",
                )

    def test_billing_reads_the_costs_over_rpc(self):
        line = self.lines["user"]
        cost = -2.0 * self.employees["user"].hourly_cost
        for level in ("billing", "admin"):
            answer = self.call(
                level, "account.analytic.line", "read", [line.ids, ["amount"]]
            )
            self.assertEqual(answer["result"][0]["amount"], cost, level)
            answer = self.call(
                level,
                "account.analytic.line",
                "read_group",
                [[("id", "=", line.id)], ["amount:sum"], ["employee_id"]],
            )
            self.assertEqual(answer["result"][0]["amount"], cost, level)
            for model, names in STOCK_MONEY_FIELDS.items():
                ids = self.sample(model, level)
                answer = self.call(level, model, "read", [ids, sorted(names)])
                self.assertIn("result", answer, f"{level} reads {model}: {answer}")
                self.assertEqual(set(answer["result"][0]) - {"id"}, names)
        # the project's own people (no Agency role) see their cost as in stock
        answer = self.call(
            "internal",
            "project.project",
            "read",
            [self.project.ids, ["analytic_account_balance"]],
        )
        self.assertIn("result", answer, answer)

    def test_costs_follow_the_agency_role(self):
        """The technical group follows each change of role: a producer made
        Billing reads costs at once; Billing taken away, they are hidden."""
        visible = self.env.ref("agency_timesheet.group_agency_costs_visible")
        user = self.users["producer"]
        line = self.lines["producer"].with_user(user)
        self.assertNotIn(user, visible.users)
        user.groups_id = [(4, self.env.ref(GROUPS["billing"]).id)]
        self.assertIn(user, visible.users)
        self.assertEqual(line.amount, -2.0 * self.employees["producer"].hourly_cost)
        user.groups_id = [(3, self.env.ref(GROUPS["billing"]).id)]
        self.assertNotIn(user, visible.users)
        with self.assertRaises(AccessError):
            line.invalidate_recordset()
            line.read(["amount"])
        # groups granted from the group's side follow as well
        newcomer = self.new_user("matrix_newcomer", "internal")
        self.assertIn(newcomer, visible.users)
        self.env.ref(GROUPS["user"]).users = [(4, newcomer.id)]
        self.assertNotIn(newcomer, visible.users)
        # and nobody joins or leaves the group by hand
        visible.users = [(4, newcomer.id)]
        self.assertNotIn(newcomer, visible.users)

    def test_project_profitability(self):
        """Stock's profitability panel reads the costs as superuser: shown to a
        project manager with Billing rights, hidden from a producer even with
        stock's project manager rights."""
        manager = self.env.ref("project.group_project_manager")
        self.users["producer"].groups_id = [(4, manager.id)]
        biller = new_test_user(
            self.env,
            login="matrix_pm_biller",
            groups=f"base.group_user,project.group_project_manager,{GROUPS['billing']}",
        )
        self.project.allow_billable = True
        costs = sum(line.sudo().amount for line in self.lines.values())
        self.assertLess(costs, 0)
        answer = self.call(
            "matrix_pm_biller", "project.project", "get_panel_data", [self.project.ids]
        )
        items = answer["result"]["profitability_items"]
        self.assertAlmostEqual(sum(items["costs"]["total"].values()), costs)
        answer = self.call(
            "producer", "project.project", "get_panel_data", [self.project.ids]
        )
        self.assertNotIn("profitability_items", answer["result"])
        self.assertTrue(answer["result"]["buttons"], "the panel itself still opens")
        for user, shown in ((biller, True), (self.users["producer"], False)):
            values = (
                self.env["project.update"]
                .with_user(user)
                ._get_template_values(self.project.with_user(user))
            )
            self.assertEqual(values["show_profitability"], shown, user.login)
