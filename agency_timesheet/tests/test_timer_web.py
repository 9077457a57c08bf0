from odoo.tests import tagged

from .common import AgencyCase


@tagged("post_install", "-at_install")
class TestTimerWebClient(AgencyCase):
    """What the systray, the command palette and the shortcut rely on."""

    def test_switching_lists_the_running_timer_first_with_its_run_start(self):
        """Starting another timer pauses the running one (in the database too)."""
        Timer = self.env["agency.timer"].with_user(self.users["user"])
        task2 = self.env["project.task"].create(
            {"name": "Storyboards", "project_id": self.project.id}
        )
        first = Timer.action_start(task_id=self.task.id)
        second = Timer.action_start(task_id=task2.id, note="Frames")
        timers = Timer.get_current()["timers"]
        self.assertEqual(
            [(t["id"], t["state"]) for t in timers],
            [(second["id"], "running"), (first["id"], "paused")],
        )
        # The idle check compares the run's start with the idle period.
        self.assertTrue(timers[0]["run_started_at"])
        self.assertFalse(timers[1]["run_started_at"])
        self.assertEqual(timers[0]["note"], "Frames")
