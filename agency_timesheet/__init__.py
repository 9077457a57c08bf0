from odoo.tools import SQL

from . import models
from . import report
from . import wizards
from . import demo
from .models.account_analytic_line import TASK_HOURS_INDEX


def uninstall_hook(env):
    """Drop what the add-on added to stock tables outside of its fields."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(TASK_HOURS_INDEX)))
