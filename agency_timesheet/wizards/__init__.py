from . import agency_approval_wizard
