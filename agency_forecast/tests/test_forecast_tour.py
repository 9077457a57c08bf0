"""The forecast in a browser, as Billing: switch views and periods, drill down."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestForecastTour(HttpCase):
    def test_forecast_tour(self):
        bruno = self.env.ref("agency_demo.user_bruno", raise_if_not_found=False)
        if not bruno:
            self.skipTest("the demo agency is not installed")
        self.assertTrue(bruno.has_group("agency_timesheet.group_agency_billing"))
        self.start_tour("/odoo/forecast", "agency_forecast_tour", login=bruno.login)
