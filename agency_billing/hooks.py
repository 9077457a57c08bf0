def post_init_hook(env):
    """Freeze the price of entries approved or invoiced before the add-on came."""
    lines = env["account.analytic.line"].search(
        [
            ("project_id", "!=", False),
            "|",
            ("approval_state", "=", "approved"),
            ("timesheet_invoice_id", "!=", False),
        ]
    )
    lines._agency_freeze_rates()
