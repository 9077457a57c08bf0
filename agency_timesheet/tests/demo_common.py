"""What the demo tests share: the demo agency must be there, and its plan.

A demo test never skips where demo data was asked for: `make test` installs with
demo data (tools/test.sh), so Odoo's own `base` module has its demo data there,
and a demo agency that is missing then (a generator that failed, which Odoo logs
and skips) fails the test loudly. Only a database created without any demo data
skips these tests.
"""

from odoo.tests import TransactionCase


def require_demo(case, xmlid="agency_demo.employee_paula"):
    """Fail (or, in a database without demo data, skip) `case` unless the demo
    agency's record `xmlid` is there."""
    if case.env.ref(xmlid, raise_if_not_found=False):
        return
    if case.env.ref("base.module_base").demo:
        failures = (
            case.env["ir.demo_failure"]
            .sudo()
            .search([("module_id.name", "like", "agency_%")])
        )
        case.fail(
            f"The database has demo data but not the demo agency ({xmlid} is "
            "missing): its generator failed at install. "
            + (
                "; ".join(f"{f.module_id.name}: {f.error}" for f in failures)
                or "See the install log (agency.demo)."
            )
        )
    case.skipTest("the database was installed without demo data")


class DemoCase(TransactionCase):
    """A test of the demo agency as it was built: `self.plan` is the plan of
    its dates (agency_timesheet/demo/plan.py), made from the day it was built.

    The demo's last step turns a pilot of two teams on (demo/pilot.py); the
    stories before it were built for everyone, and are tested so: the pilot
    is *Everyone* in these tests unless `keep_pilot` says otherwise."""

    demo_xmlid = "agency_demo.employee_paula"
    keep_pilot = False

    def setUp(self):
        super().setUp()
        require_demo(self, self.demo_xmlid)
        self.plan = self.env["agency.demo"]._demo_plan()
        if not self.keep_pilot:
            self.env.ref("base.main_company").agency_pilot_scope = "everyone"
