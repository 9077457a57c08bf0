from . import agency_role
from . import hr_employee_base
from . import account_analytic_line
from . import agency_demo
