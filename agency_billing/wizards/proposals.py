"""What the proposal wizards share (rate cards and engagements brought along
from imported history): proposed lines reviewed, then created in one go."""

from odoo import models


def reopen(wizard):
    """The action that shows the wizard again (its proposals filled)."""
    return {
        "type": "ir.actions.act_window",
        "res_model": wizard._name,
        "res_id": wizard.id,
        "view_mode": "form",
        "target": "new",
    }


def created_action(name, records):
    """The list of the records just created."""
    return {
        "type": "ir.actions.act_window",
        "name": name,
        "res_model": records._name,
        "view_mode": "list,form",
        "domain": [("id", "in", records.ids)],
    }


def plain_values(record, names):
    """{name: value} of a proposed line's fields, relations as ids: the values
    of the record it proposes."""
    values = {}
    for name in names:
        value = record[name]
        values[name] = value.id if isinstance(value, models.BaseModel) else value
    return values
