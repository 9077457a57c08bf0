"""Forecast accuracy (a SQL view): each snapshot's frozen billings and cash
receipts per client and month beside what really happened in that month from
the snapshot's day on: billings = posted customer invoices and credit notes
(before tax, company currency) by invoice date, cash = customer payments
(in process or paid, company currency) by payment date. One row per snapshot,
figure, client (or none: the remainder the snapshot carried without client)
and month of the snapshot's 12; the overall figure is the sum over clients
(the pivot's total). Error and accuracy % follow forecast_accuracy.py.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from .. import forecast_accuracy as fa

BILLING = "agency_timesheet.group_agency_billing"


class AgencyForecastAccuracy(models.Model):
    _name = "agency.forecast.accuracy"
    _description = "Agency Forecast Accuracy"
    _auto = False
    _order = "month, snapshot_id, figure, client_id"
    _rec_name = "snapshot_id"
    _depends = {  # noqa: RUF012 (Odoo reads this dict)
        "agency.forecast.snapshot": ["company_id", "date"],
        "agency.forecast.snapshot.line": [
            "snapshot_id", "figure", "client_id", "month", "amount",
        ],
        "account.move": [
            "move_type", "state", "invoice_date", "amount_untaxed_signed",
            "commercial_partner_id", "company_id",
        ],
        "account.payment": [
            "date", "state", "payment_type", "partner_type", "partner_id",
            "amount_company_currency_signed", "company_id",
        ],
    }  # fmt: skip

    snapshot_id = fields.Many2one("agency.forecast.snapshot", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    snapshot_date = fields.Date(string="Frozen On", readonly=True)
    kind = fields.Selection(
        lambda self: self.env["agency.forecast.scenario"]._fields["kind"].selection,
        string="Scenario",
        readonly=True,
    )
    figure = fields.Selection(
        [("billings", "Billings"), ("cash", "Cash In")], readonly=True
    )
    client_id = fields.Many2one("res.partner", readonly=True)
    month = fields.Date(readonly=True)
    forecast = fields.Monetary(readonly=True, groups=BILLING)
    actual = fields.Monetary(readonly=True, groups=BILLING)
    difference = fields.Monetary(
        readonly=True, groups=BILLING, help="Actual − forecast."
    )
    error_percent = fields.Float(
        string="Error (%)",
        compute="_compute_error_percent",
        digits=(16, 1),
        groups=BILLING,
        help="|Actual − forecast| / |actual|; empty when nothing happened.",
    )

    @api.depends("forecast", "actual")
    def _compute_error_percent(self):
        for row in self:
            error = fa.error_percent(row.forecast, row.actual)
            row.error_percent = error if error is not None else False

    @property
    def _table_query(self):
        return SQL(
            """
            WITH snap AS (
                SELECT s.id, s.company_id, s.currency_id, s.date, s.kind,
                       date_trunc('month', s.date)::date AS first
                  FROM agency_forecast_snapshot s
            ), frozen AS (
                SELECT l.snapshot_id, l.figure, l.client_id, l.month,
                       SUM(l.amount) AS amount
                  FROM agency_forecast_snapshot_line l
                 WHERE l.figure IN ('billings', 'cash')
                 GROUP BY 1, 2, 3, 4
            ), happened AS (
                SELECT move.company_id, 'billings' AS figure,
                       move.commercial_partner_id AS client_id,
                       move.invoice_date AS day,
                       move.amount_untaxed_signed AS amount
                  FROM account_move move
                 WHERE move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                UNION ALL
                SELECT payment.company_id, 'cash', partner.commercial_partner_id,
                       payment.date, payment.amount_company_currency_signed
                  FROM account_payment payment
                  JOIN res_partner partner ON partner.id = payment.partner_id
                 WHERE payment.state IN ('in_process', 'paid')
                   AND payment.payment_type = 'inbound'
                   AND payment.partner_type = 'customer'
            ), actual AS (
                SELECT snap.id AS snapshot_id, h.figure, h.client_id,
                       date_trunc('month', h.day)::date AS month,
                       SUM(h.amount) AS amount
                  FROM snap
                  JOIN happened h ON h.company_id = snap.company_id
                   AND h.day >= snap.date
                   AND h.day < snap.first + interval '12 months'
                 GROUP BY 1, 2, 3, 4
            ), joined AS (
                SELECT COALESCE(f.snapshot_id, a.snapshot_id) AS snapshot_id,
                       COALESCE(f.figure, a.figure) AS figure,
                       COALESCE(f.client_id, a.client_id) AS client_id,
                       COALESCE(f.month, a.month) AS month,
                       COALESCE(f.amount, 0.0) AS forecast,
                       COALESCE(a.amount, 0.0) AS actual
                  FROM frozen f
                  FULL JOIN actual a
                    ON a.snapshot_id = f.snapshot_id AND a.figure = f.figure
                   AND a.month = f.month
                   AND a.client_id IS NOT DISTINCT FROM f.client_id
            )
            SELECT row_number() OVER (
                       ORDER BY j.snapshot_id, j.figure, j.month, j.client_id
                   ) AS id,
                   j.snapshot_id, snap.company_id, snap.currency_id,
                   snap.date AS snapshot_date, snap.kind, j.figure, j.client_id,
                   j.month, j.forecast, j.actual, j.actual - j.forecast AS difference
              FROM joined j
              JOIN snap ON snap.id = j.snapshot_id
            """
        )

    @api.readonly
    @api.model
    def agency_accuracy_by_month(self, snapshot_ids, until=None):
        """{snapshot id: [accuracy rows (forecast_accuracy.accuracy_row) of
        the overall figures by figure and month]}, the months begun by
        `until` (a date; default all): aggregates only, one grouped read."""
        domain = [("snapshot_id", "in", list(snapshot_ids))]
        if until:
            domain.append(("month", "<=", until))
        groups = self._read_group(
            domain,
            ["snapshot_id", "figure", "month:month"],
            ["forecast:sum", "actual:sum"],
        )
        result = {}
        for snapshot, figure, month, forecast, actual in groups:
            result.setdefault(snapshot.id, []).append(
                fa.accuracy_row(figure, None, month, forecast or 0.0, actual or 0.0)
            )
        return result
