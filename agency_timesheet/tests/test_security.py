from .common import AgencyCase


class TestGroups(AgencyCase):
    def test_ladder(self):
        self.assertTrue(
            self.users["admin"].has_group("agency_timesheet.group_agency_billing")
        )
        self.assertTrue(
            self.users["billing"].has_group("agency_timesheet.group_agency_producer")
        )
        self.assertTrue(
            self.users["producer"].has_group("agency_timesheet.group_agency_user")
        )
        self.assertFalse(
            self.users["producer"].has_group("agency_timesheet.group_agency_billing")
        )
        self.assertFalse(
            self.users["internal"].has_group("agency_timesheet.group_agency_user")
        )
        self.assertTrue(
            self.users["user"].has_group("hr_timesheet.group_hr_timesheet_user"),
            "agency users log time with Odoo's own timesheet rights",
        )

    def test_admin_is_agency_administrator(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "agency_timesheet.group_agency_admin"
            )
        )

    def test_agency_menu_only_for_agency_people(self):
        root = self.env.ref("agency_timesheet.agency_menu_root")
        for level, user in self.users.items():
            visible = (
                root.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            )
            self.assertEqual(visible, level != "internal", level)
        config = self.env.ref("agency_timesheet.agency_menu_config")
        self.assertNotIn(
            config.id,
            self.env["ir.ui.menu"].with_user(self.users["billing"])._visible_menu_ids(),
        )

    def test_producer_reads_their_projects_time(self):
        mine = self.log(self.employees["user"], 2.0)
        other_project = self.env["project.project"].create(
            {
                "name": "Not Paula's",
                "allow_timesheets": True,
                "user_id": self.users["admin"].id,
            }
        )
        other = self.log(
            self.employees["user"], 1.0, project_id=other_project.id, task_id=False
        )
        Line = self.env["account.analytic.line"].with_user(self.users["producer"])
        visible = Line.search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine)
