from . import billing_rules
from . import agency_rate
from . import account_analytic_line
from . import agency_demo
