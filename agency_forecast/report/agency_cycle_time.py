"""Billing cycle times, one row per engagement in a billing run (a SQL view):
how many days from the end of the billed period to its invoice, and from the
invoice to its payment. Averaged per month, they show whether reconciliation
and collection got faster.

- period end: the run's "billed up to" date;
- invoiced: the invoice date of the engagement's first posted invoice of that
  run (the date the client's invoice bears);
- paid: when every posted invoice of it is paid (or in payment), the latest
  payment date reconciled or matched with them.
"""

from odoo import fields, models
from odoo.tools import SQL


class AgencyCycleTime(models.Model):
    _name = "agency.cycle.time"
    _description = "Agency Billing Cycle Time"
    _auto = False
    _order = "date desc, id"
    _rec_name = "engagement_id"
    _depends = {  # noqa: RUF012 (Odoo reads this dict)
        "agency.billing.run.line": ["company_id", "run_id", "engagement_id"],
        "agency.billing.run": ["state", "date_to"],
        "agency.engagement": ["partner_id"],
        "account.move": [
            "agency_run_line_id", "move_type", "state", "invoice_date",
            "payment_state", "matched_payment_ids",
        ],
        "account.move.line": ["move_id", "display_type"],
        "account.partial.reconcile": ["debit_move_id", "max_date"],
        "account.payment": ["date", "state"],
    }  # fmt: skip

    company_id = fields.Many2one("res.company", readonly=True)
    run_id = fields.Many2one("agency.billing.run", readonly=True)
    engagement_id = fields.Many2one("agency.engagement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    date = fields.Date(
        string="Month",
        readonly=True,
        help="The invoice date, else the end of the billed period.",
    )
    period_end = fields.Date(readonly=True)
    invoice_date = fields.Date(readonly=True)
    paid_date = fields.Date(readonly=True)
    days_to_invoice = fields.Float(
        string="Days to Invoice",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the end of the billed period to the invoice date.",
    )
    days_to_pay = fields.Float(
        string="Days to Payment",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the invoice date to the last payment that settles it.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id, line.company_id, line.run_id, line.engagement_id,
                   engagement.partner_id,
                   COALESCE(invoiced.day, run.date_to) AS date,
                   run.date_to AS period_end, invoiced.day AS invoice_date,
                   paid.day AS paid_date,
                   (invoiced.day - run.date_to)::float AS days_to_invoice,
                   (paid.day - invoiced.day)::float AS days_to_pay
              FROM agency_billing_run_line line
              JOIN agency_billing_run run ON run.id = line.run_id
              JOIN agency_engagement engagement ON engagement.id = line.engagement_id
              LEFT JOIN LATERAL (
                   SELECT min(move.invoice_date) AS day,
                          bool_and(move.payment_state IN ('paid', 'in_payment'))
                              AS settled
                     FROM account_move move
                    WHERE move.agency_run_line_id = line.id
                      AND move.move_type = 'out_invoice' AND move.state = 'posted'
                   ) invoiced ON TRUE
              LEFT JOIN LATERAL (
                   SELECT max(settled.day) AS day FROM (
                       SELECT partial.max_date AS day
                         FROM account_move move
                         JOIN account_move_line receivable
                           ON receivable.move_id = move.id
                          AND receivable.display_type = 'payment_term'
                         JOIN account_partial_reconcile partial
                           ON partial.debit_move_id = receivable.id
                        WHERE move.agency_run_line_id = line.id
                          AND move.move_type = 'out_invoice'
                          AND move.state = 'posted'
                       UNION ALL
                       -- Odoo 18's payments that are not reconciled yet
                       -- (no outstanding account): matched to the invoice
                       SELECT payment.date
                         FROM account_move move
                         JOIN account_move__account_payment matched
                           ON matched.invoice_id = move.id
                         JOIN account_payment payment
                           ON payment.id = matched.payment_id
                          AND payment.state IN ('in_process', 'paid')
                        WHERE move.agency_run_line_id = line.id
                          AND move.move_type = 'out_invoice'
                          AND move.state = 'posted'
                   ) settled
                    WHERE invoiced.settled
                   ) paid ON TRUE
             WHERE run.state != 'cancel'
            """
        )
