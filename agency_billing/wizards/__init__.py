from . import agency_rate_card
from . import agency_rerate_wizard
