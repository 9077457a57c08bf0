from . import agency_rate_card
from . import agency_rerate_wizard
from . import agency_billing_exclude_wizard
from . import account_move_reversal
from . import agency_rate_import
