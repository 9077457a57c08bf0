"""The demo agency's data: the XML files Odoo loads as demo data (listed in the
manifest) and, in plain Python, the plan of its dates (plan.py) that the
generators in models/agency_demo.py read."""

from . import agency_demo
