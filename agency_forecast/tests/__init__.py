from . import test_warning_rules
from . import test_warning_model
from . import test_warning_demo
from . import test_capacity
from . import test_booking
from . import test_heatmap
from . import test_heatmap_tour
from . import test_capacity_signals
