from . import test_demo
from . import test_reminder
from . import test_role
from . import test_security
from . import test_approval
from . import test_timer
from . import test_suggestion
from . import test_tour
