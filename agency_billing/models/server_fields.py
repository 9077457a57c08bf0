"""What only the billing conveyor sets: one refusal for every model.

The state of a billing run and of its engagements, who reviewed them, which
checks were acknowledged, which invoice line bills a fee or a retainer period,
which run and engagement an invoice belongs to: the conveyor's own methods set
them (Collect, Check, Mark Reviewed, Acknowledge, Create Invoices, cancel and
credit notes) after checking the user's rights, as superuser or in SQL. A
client's create or write that carries one is refused, whatever its context.
"""

from odoo.exceptions import UserError


def check_server_fields(records, names, vals_list, create=False):
    """Refuse a create or write of records that sets one of names, unless the
    superuser does it. On create, empty values and the field's default (a new
    run's 'draft') are what a new record has anyway, and pass."""
    if records.env.su:
        return
    defaults = records.default_get(sorted(names)) if create else {}
    sent = {
        name
        for vals in vals_list
        for name, value in vals.items()
        if name in names and not (create and (not value or value == defaults.get(name)))
    }
    if sent:
        labels = ", ".join(
            sorted(
                records._fields[name]._description_string(records.env) for name in sent
            )
        )
        raise UserError(
            records.env._(
                "%(fields)s of %(model)s are set by the billing conveyor (Collect, "
                "Check, Mark Reviewed, Acknowledge, Create Invoices, cancelling or "
                "crediting an invoice), never directly.",
                fields=labels,
                model=records._description,
            )
        )
