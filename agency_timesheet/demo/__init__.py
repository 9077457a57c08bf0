"""The demo agency's data: the XML files Odoo loads as demo data (listed in the
manifest), and the Python that builds it, by what it builds:

- plan.py: every date of the demo, planned from one day (no database);
- common.py: what every step shares (external ids, environment, plan);
- people.py: roles, people, calendars, leave and the studio's day off;
- projects.py: clients, projects and tasks;
- timesheets.py: three months of time, approvals, the rejected entry, timers;
- suggestions.py: Dani's day of suggestions;
- build.py: the steps in order; agency_demo.py: the model the XML calls.
"""

from . import agency_demo
