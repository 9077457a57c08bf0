"""An entry's billing status, said once: everything that asks reads it here.

An entry is **invoiced** while it is on a customer invoice that is not
cancelled: its ``timesheet_invoice_id`` (the stock sale_timesheet field) names
an invoice whose state is not ``cancel``. Both ways of invoicing time set it: a
billing run's invoice (which also links each entry to the line that bills it,
``agency_invoice_line_id``) and stock Odoo's "invoice delivered timesheets".
History imported as *invoiced outside Odoo* (``agency_invoiced_outside``, set
by an import batch from Harvest's ``Invoiced?`` or Clockify's ``Invoiced``) is
invoiced too, for good: no billing run ever collects it, and it changes only
by rolling its import batch back.
Everything else is **not invoiced yet**: no invoice, or a cancelled one. What
frees an entry (a posted credit note on its line, its draft invoice cancelled or
deleted) clears both links, so a freed entry is not invoiced and the next run
collects it.

The same fact in the three forms its readers need: a domain for the ORM
(searches, ``_read_group``, record rules, filters), an SQL condition for the
queries that lock or aggregate rows (billing runs, checks, the XLSX export,
margins), and a plain predicate for values already read. Billing runs
(collect, the entries each invoice takes, the held entries re-priced, a
cancelled run's), their checks, approvals, the re-rate and exclude wizards,
the install hook, the Invoiced filters and the spreadsheet all read these (a
run's totals count every entry it holds, invoiced or not).
``agency_invoice_line_id`` stays the *link* (which invoice line bills the
entry), never the test of whether it is billed. Re-billed expenses, which have
no stock link, have their own two lines at the end.
"""

from odoo.tools import SQL

# The entries invoiced outside Odoo, or on an invoice that is not cancelled.
INVOICED_DOMAIN = [
    "|",
    ("agency_invoiced_outside", "=", True),
    "&",
    ("timesheet_invoice_id", "!=", False),
    ("timesheet_invoice_id.state", "!=", "cancel"),
]
# Their complement: not invoiced outside, and no invoice or a cancelled one.
NOT_INVOICED_DOMAIN = [
    ("agency_invoiced_outside", "!=", True),
    "|",
    ("timesheet_invoice_id", "=", False),
    ("timesheet_invoice_id.state", "=", "cancel"),
]


def not_invoiced_sql(alias="line"):
    """The SQL condition 'the entry (table alias ``alias`` of
    account_analytic_line) is not invoiced yet', for a WHERE clause."""
    return SQL(
        """(%s IS NOT TRUE
            AND NOT EXISTS (SELECT 1 FROM account_move invoice
                             WHERE invoice.id = %s AND invoice.state != 'cancel'))""",
        SQL.identifier(alias, "agency_invoiced_outside"),
        SQL.identifier(alias, "timesheet_invoice_id"),
    )


def invoiced_sql(alias="line"):
    """The SQL condition 'the entry (alias ``alias``) is invoiced'."""
    return SQL("NOT %s", not_invoiced_sql(alias))


def is_invoiced(invoice_id, invoice_state, outside=False):
    """Whether an entry is invoiced, from its invoice's id (or record), that
    invoice's state and whether it was invoiced outside Odoo."""
    return bool(outside) or (bool(invoice_id) and invoice_state != "cancel")


# Re-billed expenses (hr.expense) have no stock invoice link: one is invoiced
# while a billing run's invoice line bills it (agency_invoice_line_id); what
# frees it (credit note, cancelled or deleted draft) clears that link.
EXPENSE_NOT_INVOICED_DOMAIN = [("agency_invoice_line_id", "=", False)]


def expense_not_invoiced_sql(alias="expense"):
    """The SQL condition 'the expense (alias of hr_expense) is not invoiced'."""
    return SQL("%s IS NULL", SQL.identifier(alias, "agency_invoice_line_id"))
