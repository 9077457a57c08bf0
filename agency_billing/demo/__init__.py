"""agency_billing's part of the demo agency: the XML file Odoo loads as demo
data (listed in the manifest), and the Python that builds it, by what it
builds:

- rates.py: the rate cards (company, roles, clients, a foreign currency,
  project and person overrides, a rate change);
- billing.py: time & materials engagements, their runs, invoices and a credit
  note;
- retainer.py: Dune Museum's retainer over three months;
- fixed_fee.py: Acme Website Refresh at a fixed fee, with a change order;
- expenses.py: expenses re-billed with their receipts;
- terms.py: issue 19's terms (volume discount, phase budget, contract rate);
- build.py: the steps in order; agency_demo.py: the model the XML calls.

Its dates come from agency_timesheet/demo/plan.py.
"""

from . import agency_demo
