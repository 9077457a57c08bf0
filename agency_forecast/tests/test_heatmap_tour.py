"""The heatmap in a browser: open, switch to %, hide tentative, drill into a cell."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestHeatmapTour(HttpCase):
    def test_heatmap_tour(self):
        self.start_tour("/odoo/heatmap", "agency_heatmap_tour", login="admin")
