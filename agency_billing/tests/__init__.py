from . import test_billing_rules
from . import test_rate_precedence
from . import test_agency_rate
from . import test_rate_pricing
from . import test_rate_snapshot
from . import test_rate_card
from . import test_demo
from . import test_tour
