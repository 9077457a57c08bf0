from . import agency_billing_run_xlsx
from . import timesheets_analysis_report
