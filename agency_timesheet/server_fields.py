"""Fields only the server's own methods set: one refusal for every model.

The status of a timesheet entry and its approver's traces (Submit, Approve,
Reject, Reopen), its price and billing links, and the billing conveyor's
records in agency_billing (server_fields.py there) are written by the add-ons'
own methods, as superuser or in SQL, after they checked the caller's rights. A
client's create or write that carries one is refused, whatever its context:
:func:`check_server_fields` is that refusal, used by both add-ons.

On create, an empty value or the field's own default (a new entry's 'draft') is
what a new record has anyway, and passes. A ``default_<field>`` key of the
context counts as sent: Odoo's create would apply it.
"""

from odoo.exceptions import UserError

DEFAULT_PREFIX = "default_"


def field_labels(records, names, technical=False):
    """'Approved By, Status' for the field names of records' model (with
    technical, 'Approved By (approved_by_id), …')."""
    env = records.env
    return ", ".join(
        sorted(
            f"{records._fields[name]._description_string(env)} ({name})"
            if technical
            else records._fields[name]._description_string(env)
            for name in names
        )
    )


def sent_server_fields(records, names, vals_list, create=False):
    """The names among `names` that the values of a create (``create``) or a
    write set: on create, a value that is empty or the field's own default
    passes, and a ``default_<name>`` of the context is sent too."""
    if records.env.su:
        return set()
    if not create:
        return {name for vals in vals_list for name in vals if name in names}
    context = records.env.context
    from_context = {
        key.removeprefix(DEFAULT_PREFIX): value
        for key, value in context.items()
        if key.startswith(DEFAULT_PREFIX) and key.removeprefix(DEFAULT_PREFIX) in names
    }
    # The fields' own defaults, not the context's: the context is replaced
    # by one without its default_ keys (kwargs could only add keys).
    plain = {
        key: value
        for key, value in context.items()
        if not key.startswith(DEFAULT_PREFIX)
    }
    defaults = records.with_context(plain).default_get(sorted(names))  # pylint: disable=context-overridden
    return {
        name
        for vals in vals_list
        for name, value in {**from_context, **vals}.items()
        if name in names and value and value != defaults.get(name)
    }


def check_server_fields(records, names, vals_list, refusal, create=False):
    """Refuse a create or write of records that sets one of `names`, unless the
    superuser does it.

    :param refusal: a function of the set of sent field names returning the
        translated message that names them (:func:`field_labels`) and the
        way out
    """
    sent = sent_server_fields(records, names, vals_list, create=create)
    if sent:
        raise UserError(refusal(sent))
