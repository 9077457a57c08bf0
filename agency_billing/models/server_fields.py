"""What only the billing conveyor sets: one refusal for every model.

The state of a billing run and of its engagements, who reviewed them, which
checks were acknowledged, which invoice line bills a fee or a retainer period,
which run and engagement an invoice belongs to: the conveyor's own methods set
them (Collect, Check, Mark Reviewed, Acknowledge, Create Invoices, cancel and
credit notes) after checking the user's rights, as superuser or in SQL. A
client's create or write that carries one is refused, whatever its context: the
refusal is agency_timesheet's (server_fields.py there), in the conveyor's words.
What the conveyor sets on timesheet entries is :data:`BILLING_SERVER_FIELDS`.
"""

from odoo.addons.agency_timesheet.server_fields import check_server_fields as check
from odoo.addons.agency_timesheet.server_fields import field_labels

# What billing runs, invoices, approvals and re-rates set on an entry, never a
# client's create or write (agency_timesheet's SERVER_FIELDS): the price and
# whether it is frozen, the run that holds it, what it billed and where.
BILLING_SERVER_FIELDS = {
    "agency_rate_id",
    "agency_rate_state",
    "agency_bill_rate",
    "agency_rate_currency_id",
    "agency_amount",
    "agency_cost_rate",
    "agency_cost_source",
    "agency_cost",
    "agency_rate_frozen",
    "agency_engagement_id",
    "agency_run_id",
    "agency_billed_hours",
    "agency_billed_amount",
    "agency_invoice_line_id",
    "agency_retainer_period_id",
    "agency_excluded_run_id",
    "agency_excluded_reason",
    "agency_invoiced_outside",
}


def check_server_fields(records, names, vals_list, create=False):
    """Refuse a create or write of records that sets one of names, unless the
    superuser does it (empty values and the field's default pass on create)."""
    check(
        records,
        names,
        vals_list,
        lambda sent: records.env._(
            "%(fields)s of %(model)s are set by the billing conveyor (Collect, "
            "Check, Mark Reviewed, Acknowledge, Create Invoices, cancelling or "
            "crediting an invoice), never directly.",
            fields=field_labels(records, sent),
            model=records._description,
        ),
        create=create,
    )
