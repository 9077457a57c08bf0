"""An invoiced entry changes only through a credit note: the refusals.

Plain functions over timesheet entries, called by the entries' hooks and CRUD
overrides (account_analytic_line.py): what an invoice bills of an entry
(:data:`CONTENT_FIELDS`) is refused once a billing run invoiced it, and so are
approving, rejecting or reopening it; which invoice bills an entry is set by
billing runs and invoices only. Whether an entry is invoiced is
billing_status.py's definition.
"""

from odoo.exceptions import UserError

from .billing_status import INVOICED_DOMAIN

# What an invoice bills of an entry: refused on invoiced entries.
CONTENT_FIELDS = {
    "date",
    "unit_amount",
    "project_id",
    "task_id",
    "employee_id",
    "role_id",
    "name",
}


def check_not_invoiced_for_approval(lines):
    """Invoiced entries are neither approved, rejected nor reopened (stock's
    invoices included): they change only through a credit note."""
    invoiced = lines.sudo().search([("id", "in", lines.ids), *INVOICED_DOMAIN])
    if invoiced:
        raise UserError(
            lines.env._(
                "These entries are invoiced: %(entries)s. They change only "
                "through a credit note on their invoice.",
                entries=invoiced._agency_describe(),
            )
        )


def check_no_invoice_link(lines):
    """Stock's invoice link (timesheet_invoice_id) is the server's on the
    agency's entries: a client never sets it."""
    agency = lines._agency_lines()
    if agency:
        raise UserError(
            lines.env._(
                "Which invoice bills an entry is set by billing runs and "
                "invoices, never directly (%(entries)s).",
                entries=lines._agency_describe(agency),
            )
        )


def check_not_invoiced(lines):
    """Refuse if a billing run invoiced any of these entries, or they are
    history invoiced outside Odoo (administrators included). Entries that
    stock Odoo invoiced (no billing run's line) keep stock's own rules."""
    outside = lines.sudo().filtered("agency_invoiced_outside")
    if outside:
        raise UserError(
            lines.env._(
                "These entries were invoiced outside Odoo before the migration: "
                "%(entries)s. They change only by rolling back their import "
                "batch.",
                entries=outside._agency_describe(),
            )
        )
    invoiced = lines.sudo().filtered(
        lambda line: line.agency_invoice_line_id and line._agency_is_invoiced()
    )
    if invoiced:
        moves = invoiced.timesheet_invoice_id
        raise UserError(
            lines.env._(
                "These entries are invoiced on %(invoices)s: %(entries)s. They "
                "change only through a credit note on that invoice (or by "
                "cancelling it while it is a draft).",
                invoices=", ".join(moves.mapped("display_name")),
                entries=invoiced._agency_describe(),
            )
        )
