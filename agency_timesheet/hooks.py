"""At uninstall: what the add-on added to stock tables outside of its fields."""

from odoo.tools import SQL

from .models.account_analytic_line import TASK_HOURS_INDEX


def uninstall_hook(env):
    """Drop what the add-on added to stock tables outside of its fields."""
    # SQL: DDL (the index is not a field's, so the ORM does not drop it).
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(TASK_HOURS_INDEX)))
