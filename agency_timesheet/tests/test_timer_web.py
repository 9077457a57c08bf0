from odoo.tests import tagged

from .common import AgencyCase


@tagged("post_install", "-at_install")
class TestTimerWebClient(AgencyCase):
    """What the systray, the command palette and the shortcut rely on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.users["user"]
        cls.Timer = cls.env["agency.timer"].with_user(cls.user)
        cls.task2 = cls.env["project.task"].create(
            {"name": "Storyboards", "project_id": cls.project.id}
        )

    def test_starting_another_timer_pauses_the_running_one(self):
        first = self.Timer.action_start(task_id=self.task.id)
        second = self.Timer.action_start(task_id=self.task2.id, note="Frames")
        current = self.Timer.get_current()
        states = {timer["id"]: timer["state"] for timer in current["timers"]}
        self.assertEqual(states, {first["id"]: "paused", second["id"]: "running"})
        self.assertEqual(current["timers"][0]["id"], second["id"], "running first")
        self.assertTrue(current["timers"][0]["run_started_at"])
        self.assertFalse(current["timers"][1]["run_started_at"])

    def test_resuming_a_paused_timer_pauses_the_running_one(self):
        first = self.Timer.action_start(task_id=self.task.id)
        second = self.Timer.action_start(task_id=self.task2.id)
        self.Timer.browse(first["id"]).action_resume()
        states = {t["id"]: t["state"] for t in self.Timer.get_current()["timers"]}
        self.assertEqual(states, {first["id"]: "running", second["id"]: "paused"})

    def test_switching_can_stop_instead(self):
        self.user.agency_timer_switch = "stop"
        first = self.Timer.action_start(task_id=self.task.id)
        self.Timer.action_start(task_id=self.task2.id)
        self.assertEqual(self.Timer.browse(first["id"]).state, "stopped")
