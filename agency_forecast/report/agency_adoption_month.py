"""The adoption dashboard's billing cycle time, month by month (a SQL view
over agency.cycle.time, report/agency_cycle_time.py): how many days from the
end of a billed period to its invoice, for the engagements whose invoices were
posted, per company and month of the period's end.

A duration, never money: producers and champions read it (the engagements,
clients and invoices behind it stay Billing's, in Billing Cycle Times).
"""

from odoo import fields, models
from odoo.tools import SQL


class AgencyAdoptionMonth(models.Model):
    _name = "agency.adoption.month"
    _description = "Agency Billing Cycle per Month"
    _auto = False
    _order = "month desc, company_id"
    _rec_name = "month"
    _depends = {  # noqa: RUF012 (Odoo reads this dict)
        "agency.billing.run.line": ["company_id", "run_id"],
        "agency.billing.run": ["state", "date_to"],
        "account.move": ["agency_run_line_id", "move_type", "state", "invoice_date"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True, help="The month the billed periods ended in.")
    engagements = fields.Integer(
        string="Engagements Invoiced",
        readonly=True,
        help="Engagements of billing runs whose invoices were posted.",
    )
    days_to_invoice = fields.Float(
        string="Average Days to Invoice",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the end of the billed period to the posted invoice's date.",
    )
    median_days_to_invoice = fields.Float(
        string="Median Days to Invoice",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )

    @property
    def _table_query(self):
        # percentile_cont: the median the ORM's aggregates cannot give
        return SQL(
            """
            SELECT min(cycle.id) AS id, cycle.company_id,
                   date_trunc('month', cycle.period_end)::date AS month,
                   count(*) AS engagements,
                   avg(cycle.days_to_invoice) AS days_to_invoice,
                   percentile_cont(0.5) WITHIN GROUP
                       (ORDER BY cycle.days_to_invoice) AS median_days_to_invoice
              FROM (%(cycles)s) cycle
             WHERE cycle.invoice_date IS NOT NULL
             GROUP BY cycle.company_id, date_trunc('month', cycle.period_end)
            """,
            cycles=self.env["agency.cycle.time"]._table_query,
        )
