from . import agency_margin_grouped
from . import agency_margin_fact
from . import agency_cycle_time
from . import agency_adoption_month
from . import agency_margin_week
from . import agency_resourcing_xlsx
from . import agency_forecast_accuracy
