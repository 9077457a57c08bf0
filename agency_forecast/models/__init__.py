"""Models of agency_forecast (one file per model)."""

from . import agency_margin_marker
from . import agency_engagement
from . import project_project
from . import res_company
from . import res_config_settings
from . import project_task
from . import agency_warning_finder
from . import agency_warning
from . import account_analytic_line
from . import account_move
from . import account_move_line
from . import agency_billing_adjustment
from . import agency_billing_run
from . import hr_expense
from . import agency_engagement_schedule
from . import agency_retainer_period
from . import hr_employee
from . import agency_role
from . import agency_capacity
from . import agency_booking
from . import agency_my_week
