from . import agency_approval_wizard
from . import agency_suggestion_generate
from . import agency_suggestion_import
