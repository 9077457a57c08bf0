"""Models of agency_forecast (one file per model)."""

from . import agency_engagement
from . import project_project
from . import res_company
from . import res_config_settings
from . import project_task
from . import agency_warning_finder
from . import agency_warning
from . import agency_warning_mark
from . import account_analytic_line
from . import hr_employee
from . import agency_role
from . import agency_capacity
from . import agency_booking
from . import agency_my_week
from . import agency_forecast_scenario
from . import agency_forecast_line
from . import agency_forecast_frozen
from . import agency_forecast_snapshot
from . import agency_forecast_snapshot_line
from . import agency_board_pack
