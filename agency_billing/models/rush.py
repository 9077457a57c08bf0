"""Who marks time as rush: producers (and administrators), never the person
who logged it, and only through Mark as Rush / Not Rush (the field is the
server's: ``server_fields.py``). A rush entry is billed at its engagement's
rush multiplier (``multipliers``) by the next run that collects it."""

from odoo.exceptions import UserError

from .billing_status import INVOICED_DOMAIN

PRODUCER = "agency_timesheet.group_agency_producer"


def mark_rush(lines, rush):
    """Mark (or unmark) lines as rush, after checking who asks and that none
    is invoiced (its price is on the invoice already)."""
    env = lines.env
    if not (env.su or env.user.has_group(PRODUCER)):
        raise UserError(
            env._(
                "Only producers mark time as rush (%(entries)s). Ask the "
                "project's producer to mark it.",
                entries=lines._agency_describe(),
            )
        )
    invoiced = lines.sudo().filtered_domain(INVOICED_DOMAIN)
    if invoiced:
        raise UserError(
            env._(
                "%(entries)s are invoiced already: credit the invoice first, "
                "then mark them.",
                entries=invoiced._agency_describe(),
            )
        )
    lines.check_access("read")  # producers: the time of their projects
    lines.sudo().write({"agency_rush": rush})
    return True
