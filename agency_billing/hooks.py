"""After install: prices of entries approved or invoiced before the add-on came."""

from odoo.osv import expression

from .models.billing_status import INVOICED_DOMAIN


def post_init_hook(env):
    """Freeze the price of entries approved or invoiced before the add-on came."""
    lines = env["account.analytic.line"].search(
        expression.AND(
            [
                [("project_id", "!=", False)],
                expression.OR([[("approval_state", "=", "approved")], INVOICED_DOMAIN]),
            ]
        )
    )
    lines._agency_freeze_rates()
