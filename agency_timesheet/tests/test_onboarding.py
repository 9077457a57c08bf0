"""Onboarding per role: the tour of one's level is offered once on first login
(and never another level's), and each role tour runs in the browser."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged

from ..onboarding import tour_for
from .test_mobile_tours import mobile_fixtures, person

OFFERING = "odoo.addons.agency_timesheet.models.web_tour_tour.offering"


class TestTourOffer(TransactionCase):
    def test_highest_level_wins(self):
        every = {"agency_onboarding_creative", "agency_onboarding_producer",
                 "agency_onboarding_billing"}  # fmt: skip
        levels = {"agency_timesheet.group_agency_user",
                  "agency_timesheet.group_agency_producer"}  # fmt: skip
        self.assertEqual(
            tour_for(levels.__contains__, every), "agency_onboarding_producer"
        )
        self.assertIsNone(tour_for(set().__contains__, every))
        self.assertEqual(
            tour_for(levels.__contains__, {"agency_onboarding_creative"}),
            "agency_onboarding_creative",
        )

    def test_offered_once_on_first_login(self):
        creative = person(self.env, "onb_offer", "Onb Offer", "group_agency_user")
        Tour = self.env["web_tour.tour"].with_user(creative)
        with patch(OFFERING, return_value=True):
            offered = Tour.get_current_tour()
            self.assertEqual(offered["name"], "agency_onboarding_creative")
            self.assertIn("Timer", offered["rainbowManMessage"])
            Tour.consume("agency_onboarding_creative")
            again = Tour.get_current_tour()
        self.assertFalse(again and again["name"].startswith("agency_onboarding"))
        # replayable from the user menu: the name is always there
        self.assertEqual(Tour.agency_tour_name(), "agency_onboarding_creative")
        producer = person(
            self.env, "onb_offer_p", "Onb Producer", "group_agency_producer"
        )
        with patch(OFFERING, return_value=True):
            self.assertEqual(
                self.env["web_tour.tour"]
                .with_user(producer)
                .get_current_tour()["name"],
                "agency_onboarding_producer",
            )
        internal = self.env["res.users"].create(
            {"name": "No Agency", "login": "onb_none",
             "groups_id": [(6, 0, [self.ref("base.group_user")])]}
        )  # fmt: skip
        self.assertFalse(
            self.env["web_tour.tour"].with_user(internal).agency_tour_name()
        )


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mobile_fixtures(cls)
        cls.task.name = "Onboarding logo"

    def log(self, day, hours, name):
        return (
            self.env["account.analytic.line"]
            .with_user(self.user)
            .create(
                {"project_id": self.project.id, "task_id": self.task.id,
                 "date": day, "unit_amount": hours, "name": name}
            )
        )  # fmt: skip

    def test_creative_tour(self):
        """Start and stop a timer, submit the week."""
        today = fields.Date.context_today(self.user.with_context(tz=self.user.tz))
        draft = self.log(today, 1.0, "Sketches")
        self.start_tour(
            "/odoo/my-week", "agency_onboarding_creative", login="tour_phone"
        )
        timers = self.env["agency.timer"].search([("user_id", "=", self.user.id)])
        self.assertEqual(timers.mapped("state"), ["stopped"])
        self.assertEqual(draft.approval_state, "submitted")

    def test_producer_tour(self):
        """Approve a week, reject an entry with a reason."""
        first = self.log("2026-03-02", 2.0, "Kickoff")
        second = self.log("2026-03-10", 3.0, "Logo sketches")
        (first | second).with_user(self.user).action_submit()
        self.start_tour(
            "/odoo/action-agency_timesheet.agency_week_review_action",
            "agency_onboarding_producer",
            login="tour_phone_producer",
        )
        states = sorted((first | second).mapped("approval_state"))
        self.assertEqual(states, ["approved", "rejected"])
        rejected = (first | second).filtered(lambda l: l.approval_state == "rejected")
        self.assertEqual(rejected.reject_reason, "Please log this on the right task")
