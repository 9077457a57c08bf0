from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAgencyTour(HttpCase):
    def test_agency_menus(self):
        """After login the Agency app and its menus are there."""
        self.start_tour("/odoo", "agency_menus_tour", login="admin")
