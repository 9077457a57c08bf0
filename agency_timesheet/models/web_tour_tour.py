"""The role tours (onboarding.py): offered once on first login for the
person's Agency level, whatever stock Odoo's onboarding switch says (except, as
stock's, in a database with demo data), and never another level's tour."""

from odoo import api, models
from odoo.modules import module

from ..onboarding import TOUR_NAMES, tour_for


def offering(env):
    """Whether tours are offered on login: as stock Odoo's onboarding, not in a
    database with demo data (where tests drive the browser with their own
    tours), nor while tests run."""
    demo = env["ir.module.module"].sudo().search_count([("demo", "=", True)], limit=1)
    return not (module.current_test or demo)


class WebTourTour(models.Model):
    _inherit = "web_tour.tour"

    @api.model
    def agency_tour_name(self):
        """The name of the signed-in person's role tour, or False."""
        available = set(
            self.sudo().search([("name", "in", sorted(TOUR_NAMES))]).mapped("name")
        )
        return tour_for(self.env.user.has_group, available) or False

    @api.model
    def get_current_tour(self):
        user = self.env.user
        if not (user and user._is_internal()):
            return super().get_current_tour()
        mine = self.agency_tour_name()
        if mine and offering(self.env):
            tour = self.sudo().search(
                [("name", "=", mine), ("user_consumed_ids", "not in", user.id)]
            )
            if tour:
                return tour._get_tour_json()
        result = super().get_current_tour()
        # another level's role tour is not for this person: skip it for good
        for _attempt in range(len(TOUR_NAMES)):
            if not result or result.get("name") not in TOUR_NAMES - {mine}:
                break
            self.sudo().search([("name", "=", result["name"])]).user_consumed_ids = [
                (4, user.id)
            ]
            result = super().get_current_tour()
        return result
