"""agency_forecast's part of the demo agency: the XML file Odoo loads as demo
data (demo/agency_forecast_demo.xml) and the Python that builds it:

- warnings.py: the stories the early warnings tell (revision rounds, creeping
  non-billable time, a retainer burning early, a fixed fee that over-ran, a
  person whose effective rate is below their role's), then one evaluation;
- bookings.py: the bookings of the next 12 weeks and their stories (over
  capacity, an underused role, a deadline crunch, a role short of supply);
- agency_demo.py: the model the XML calls.

Its dates come from agency_timesheet/demo/plan.py.
"""

from . import agency_demo
