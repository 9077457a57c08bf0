from . import agency_warning_acknowledge
