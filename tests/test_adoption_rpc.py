"""The adoption dashboard over JSON-RPC, as the web client sends it: champions
(Agency › Champion, with no Agency level) and producers read the team figures
and the billing cycle month by month; a creative does not; nobody writes them.
Champions join the champions' channel when they become champions."""

from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.agency_timesheet.tests.common import AgencyCase

from .rpc import call_kw

CHAMPION = "agency_timesheet.group_agency_champion"


@tagged("post_install", "-at_install")
class TestAdoptionOverRpc(AgencyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.champion = new_test_user(
            cls.env,
            login="agency_champion",
            groups=f"base.group_user,{CHAMPION}",
            name="Agency Champion",
        )
        cls.week = cls.env["agency.adoption.week"].create(
            {
                "company_id": cls.company.id,
                "week_start": date(2026, 3, 2),
                "people": 3,
                "weeks_due": 3,
                "weeks_on_time": 2,
                "on_time_share": 66.7,
            }
        )

    def rpc(self, login, model, method, *args, **kwargs):
        return call_kw(self, login, model, method, list(args), kwargs)

    def test_who_reads_the_dashboard(self):
        domain = [["id", "=", self.week.id]]
        for login in ("agency_champion", "agency_producer", "agency_admin"):
            answer = self.rpc(
                login,
                "agency.adoption.week",
                "search_read",
                domain,
                fields=["on_time_share", "on_time_label", "people"],
            )
            self.assertEqual(
                answer.get("result"),
                [
                    {
                        "id": self.week.id,
                        "on_time_share": 66.7,
                        "on_time_label": "66.7 %",
                        "people": 3,
                    }
                ],
                f"{login}: {answer}",
            )
            months = self.rpc(
                login,
                "agency.adoption.month",
                "web_read_group",
                [],
                fields=["median_days_to_invoice:avg"],
                groupby=["month:month"],
            )
            self.assertIn("result", months, f"{login}: {months}")
        for login in ("agency_user", "agency_internal"):
            for model in ("agency.adoption.week", "agency.adoption.month"):
                answer = self.rpc(login, model, "search_read", [], fields=["id"])
                self.assertIn("AccessError", answer["error"]["data"]["name"], login)
        # read only, for champions as for everyone
        for method, args in (
            ("write", ([self.week.id], {"on_time_share": 100.0})),
            ("unlink", ([self.week.id],)),
            ("create", ({"week_start": "2026-03-09"},)),
        ):
            answer = self.rpc("agency_champion", "agency.adoption.week", method, *args)
            self.assertIn("AccessError", answer["error"]["data"]["name"], method)
        self.assertEqual(self.week.on_time_share, 66.7)
        # no money: the billing cycle is days and counts only
        fields = self.rpc(
            "agency_champion",
            "agency.adoption.month",
            "fields_get",
            attributes=["type"],
        )["result"]
        self.assertFalse(
            [name for name, f in fields.items() if f["type"] == "monetary"]
        )
        self.assertNotIn("engagement_id", fields)

    def test_champions_join_the_channel(self):
        channel = self.env["discuss.channel"].create({"name": "RPC Champions"})
        self.company.agency_champion_channel_id = channel
        self.assertIn(self.champion.partner_id, channel.channel_member_ids.partner_id)
        producer = self.users["producer"]
        self.assertNotIn(producer.partner_id, channel.channel_member_ids.partner_id)
        producer.groups_id = [(4, self.env.ref(CHAMPION).id)]
        self.assertIn(producer.partner_id, channel.channel_member_ids.partner_id)
        # the group's own screen adds people too
        user = self.users["user"]
        self.env.ref(CHAMPION).users = [(4, user.id)]
        self.assertIn(user.partner_id, channel.channel_member_ids.partner_id)
        # the user form keeps the Agency ladder one choice
        groups = self.env["res.groups"].get_groups_by_application()
        kinds = {app.xml_id: kind for app, kind, _groups, _cat in groups if app}
        self.assertEqual(kinds["agency_timesheet.module_category_agency"], "selection")
        self.assertEqual(
            kinds["agency_timesheet.module_category_agency_champion"], "selection"
        )
