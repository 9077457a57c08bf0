from . import test_profitability
from . import test_margin_month
from . import test_margin_errors
from . import test_margin_dashboard
from . import test_warning_rules
from . import test_warning_model
from . import test_warning_demo
