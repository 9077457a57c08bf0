from . import agency_margin_fact
