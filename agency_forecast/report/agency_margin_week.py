"""Weekly margin facts: the margin view (agency_margin_fact.py) grouped by
company × bucket (a week cut at month ends, margin_upkeep.py) × client ×
engagement × project × role × person × billable × state × kind, stored.

The pivot, graph, dashboard and the engagement and project forms read these;
the list of a cell opens the exact margin facts and their sources
(:meth:`action_open_sources`). The rows are filled by the view's own SQL,
grouped (:meth:`_agency_refresh`), so there is one definition; changes mark
their keys dirty in their own transaction (the hooks in models/) and the keys
are recomputed before any read that can write, else by the cron within a
minute. A full rebuild (:meth:`action_agency_rebuild`) marks every key dirty
and lets the cron recompute them in batches.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from . import margin_upkeep as upkeep
from .agency_margin_fact import BILLING, totals_of

# Dirty rows recomputed per cron batch (each batch is one pass over the view).
BATCH = 200
KEYS = (
    "company_id", "date", "partner_id", "engagement_id", "engagement_kind",
    "project_id", "role_id", "employee_id", "billable", "state", "kind",
)  # fmt: skip
SUMS = (
    "hours", "billable_hours", "cost_unknown_hours", "revenue_unknown_hours",
    "revenue", "cost", "margin", "standard_value", "billed", "write_down",
    "fx_difference",
)  # fmt: skip


class AgencyMarginWeek(models.Model):
    _name = "agency.margin.week"
    _inherit = ["agency.margin.grouped"]  # noqa: RUF012 (Odoo reads this list)
    _description = "Agency Margin Week"
    _order = "date desc, id"
    _rec_name = "kind"

    kind = fields.Selection(
        lambda self: self.env["agency.margin.fact"]._fields["kind"].selection,
        readonly=True,
    )
    state = fields.Selection(
        [("approved", "Approved"), ("invoiced", "Invoiced")], readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    date = fields.Date(
        string="Week",
        readonly=True,
        help="The first day of the week (Monday), or of the month when the "
        "week began in the month before: a week never spans two months.",
    )
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    engagement_id = fields.Many2one("agency.engagement", readonly=True, index=True)
    engagement_kind = fields.Selection(
        lambda self: (
            self.env["agency.margin.fact"]._fields["engagement_kind"].selection
        ),
        readonly=True,
    )
    project_id = fields.Many2one("project.project", readonly=True, index=True)
    role_id = fields.Many2one("agency.role", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Person", readonly=True)
    billable = fields.Boolean(readonly=True)
    fact_count = fields.Integer(string="Facts", readonly=True)
    hours = fields.Float(readonly=True, digits=(16, 2))
    billable_hours = fields.Float(readonly=True, digits=(16, 2))
    cost_unknown_hours = fields.Float(readonly=True, digits=(16, 2))
    revenue_unknown_hours = fields.Float(
        string="Invoiced Outside, Amount Unknown", readonly=True, digits=(16, 2)
    )
    revenue = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    cost = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    margin = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    standard_value = fields.Float(
        string="Value at Rate Cards", readonly=True, digits=(16, 2), groups=BILLING
    )
    billed = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    write_down = fields.Float(
        string="Written Down", readonly=True, digits=(16, 2), groups=BILLING
    )
    fx_difference = fields.Float(
        string="FX Difference vs Daily Rate",
        readonly=True,
        digits=(16, 2),
        groups=BILLING,
    )
    missing_currency_id = fields.Many2one("res.currency", readonly=True)

    def init(self):
        cr = self.env.cr
        upkeep.create_dirty_table(cr)
        # Installed on a database with margins already (an upgrade): every key
        # dirty, the cron fills the table within minutes.
        cr.execute("SELECT 1 FROM agency_margin_week LIMIT 1")
        if not cr.rowcount and not upkeep.dirty_count(cr):
            self._agency_mark_all()
        # One row per key: two refreshes of one key can never both count.
        cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS agency_margin_week_key
                   ON agency_margin_week (%s) NULLS NOT DISTINCT""",
                SQL(", ").join(SQL.identifier(key) for key in KEYS),
            )
        )

    # -- upkeep --

    @api.model
    def _agency_refresh(self, limit=None):
        """Recompute the weekly facts of the dirty keys (up to limit dirty rows)
        from the margin view; nothing on a read-only cursor (a replica: the
        cron does it) or while another transaction refreshes. Returns how many
        dirty rows it took."""
        cr = self.env.cr
        if cr.readonly:
            return 0
        cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(upkeep.DIRTY)))
        if not cr.rowcount:
            return 0
        # SQL: one refresher at a time; the others read what is stored
        cr.execute("SELECT pg_try_advisory_xact_lock(hashtext('agency_margin_week'))")
        if not cr.fetchone()[0]:
            return 0
        self.env.flush_all()
        engagements, projects, keys = upkeep.take_dirty(cr, limit)
        taken = len(engagements) + len(projects) + len(keys)
        if not taken:
            return 0
        # SQL: a DELETE and an INSERT … SELECT of the view grouped, for the
        # dirty keys only (what _read_group cannot express)
        cr.execute(
            SQL(
                "DELETE FROM agency_margin_week w WHERE %s",
                upkeep.stale_sql("w", SQL("w.date"), engagements, projects, keys),
            )
        )
        fact = self.env["agency.margin.fact"]
        cr.execute("SET LOCAL jit = off")
        cr.execute(
            SQL(
                """INSERT INTO agency_margin_week (%(columns)s, fact_count,
                                                   missing_currency_id, %(sums)s)
                   SELECT %(keys)s, count(*), max(f.missing_currency_id), %(sum)s
                     FROM (%(view)s) f
                    WHERE %(stale)s
                    GROUP BY %(groups)s""",
                columns=SQL(", ").join(SQL.identifier(key) for key in KEYS),
                sums=SQL(", ").join(SQL.identifier(name) for name in SUMS),
                keys=SQL(", ").join(
                    upkeep.bucket_sql(SQL("f.date"))
                    if key == "date"
                    else SQL.identifier("f", key)
                    for key in KEYS
                ),
                sum=SQL(", ").join(
                    SQL("sum(%s)", SQL.identifier("f", name)) for name in SUMS
                ),
                view=fact._table_query,
                stale=upkeep.stale_sql(
                    "f", upkeep.bucket_sql(SQL("f.date")), engagements, projects, keys
                ),
                groups=SQL(", ").join(SQL(str(n)) for n in range(1, len(KEYS) + 1)),
            )
        )
        self.invalidate_model()
        return taken

    @api.model
    def _agency_mark_all(self):
        """Mark every key dirty: every project and engagement, and those the
        stored rows still name."""
        cr = self.env.cr
        cr.execute(
            """SELECT id FROM project_project
               UNION SELECT project_id FROM agency_margin_week
                WHERE project_id IS NOT NULL"""
        )
        upkeep.mark_projects(self.env, [row[0] for row in cr.fetchall()])
        cr.execute(
            """SELECT id FROM agency_engagement
               UNION SELECT engagement_id FROM agency_margin_week
                WHERE engagement_id IS NOT NULL"""
        )
        upkeep.mark_engagements(self.env, [row[0] for row in cr.fetchall()])

    @api.model
    def _agency_rebuild(self):
        """Rebuild every weekly fact now, in this transaction (tests, shell)."""
        self._agency_mark_all()
        self._agency_refresh()

    @api.model
    def action_agency_rebuild(self):
        """Settings › Rebuild Weekly Margins (Administrators): every key
        marked dirty, recomputed by the cron in batches, with its progress."""
        if not self.env.user.has_group("agency_timesheet.group_agency_admin"):
            raise AccessError(
                self.env._("Only Administrators can rebuild the weekly margins.")
            )
        self._agency_mark_all()
        self.env.ref("agency_forecast.ir_cron_agency_margin_week")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The weekly margins are being rebuilt in the background; "
                    "the figures are complete within a few minutes."
                ),
            },
        }

    @api.model
    def _cron_refresh(self):
        """Every minute: recompute one batch of dirty keys; the cron runs again
        at once while some remain (its progress says how many)."""
        taken = self._agency_refresh(limit=BATCH)
        self.env["ir.cron"]._notify_progress(
            done=taken, remaining=upkeep.dirty_count(self.env.cr)
        )

    # -- reading --

    @api.model
    def _search(self, domain, *args, **kwargs):
        self._agency_refresh()
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None,
        order=None,
    ):  # fmt: skip
        """Fresh figures (dirty keys recomputed first), refused when they need
        an exchange rate Odoo does not have (agency_margin_grouped.py)."""
        self._agency_refresh()
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )

    @api.model
    def _agency_totals(self, domain, groupby):
        """As agency.margin.fact's: {group key: profitability.Totals}."""
        return totals_of(self, domain, groupby)

    @api.model
    def _agency_action(self, domain):
        """The margins pivot on the weekly facts of domain."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_forecast.agency_margin_week_action"
        )
        action["domain"] = domain
        return action

    def _agency_fact_domain(self):
        """The domain of the margin facts behind these weekly rows."""
        domains = []
        for row in self.sudo():
            domain = [
                ("date", ">=", row.date),
                ("date", "<=", upkeep.bucket_end(row.date)),
            ]
            for key in KEYS:
                if key != "date":
                    value = row[key]
                    if isinstance(value, models.BaseModel):
                        value = value.id
                    domain.append((key, "=", value))
            domains.append(domain)
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    def action_open_sources(self):
        """The records behind these rows (entries, adjustments, invoice lines,
        expenses), as the margin facts open them."""
        Fact = self.env["agency.margin.fact"]
        return Fact.search(self._agency_fact_domain()).action_open_sources()

    def action_open_facts(self):
        """The margin facts behind these rows, one per source."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_forecast.agency_margin_fact_action"
        )
        action.update(
            view_mode="list,pivot",
            views=[(False, "list"), (False, "pivot")],
            domain=self._agency_fact_domain(),
        )
        return action
