from . import agency_approval_wizard
from . import agency_suggestion_generate
from . import agency_suggestion_import
from . import agency_week_review
from . import agency_import_wizard
