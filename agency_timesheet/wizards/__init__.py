from . import agency_suggestion_generate
from . import agency_suggestion_import
