from . import test_demo
from . import test_role
from . import test_security
from . import test_tour
from . import test_my_week
from . import test_timer_web
