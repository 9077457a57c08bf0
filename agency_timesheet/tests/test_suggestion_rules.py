"""suggestion_rules.py: the arithmetic of suggestions, and suggestion_sources.py's
reasons in words, no database."""

from datetime import datetime

from odoo.tests import BaseCase

from ..suggestion_rules import (
    DEFAULT_TASK_HOURS,
    MAX_TASK_HOURS,
    new_proposals,
    rank_teammate_work,
    tally_task_activity,
    task_hours,
)
from ..suggestion_sources import task_reason, teammates_reason


class TestSuggestionRules(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_task_hours(self):
        self.assertEqual(task_hours(None), DEFAULT_TASK_HOURS)
        self.assertEqual(task_hours(0.0), DEFAULT_TASK_HOURS)
        self.assertEqual(task_hours(0.6), 0.5)
        self.assertEqual(task_hours(5.0), MAX_TASK_HOURS)

    def test_tally_task_activity(self):
        first, later = datetime(2026, 3, 2, 9), datetime(2026, 3, 3, 15)
        activity = tally_task_activity(
            [(7, False, later), (7, True, first), (7, False, first), (8, True, first)]
        )
        self.assertEqual(activity[7], {"messages": 2, "changes": 1, "last": later})
        self.assertEqual(activity[8], {"messages": 0, "changes": 1, "last": first})
        self.assertEqual(tally_task_activity([]), {})

    def test_rank_teammate_work(self):
        rows = [
            (1, 10, 100, 2.0),
            (1, 10, 101, 1.0),
            (2, False, 100, 6.0),
            (3, 30, 100, 1.0),  # task not readable: left out
            (4, 40, 102, 1.5),
        ]
        work = rank_teammate_work(rows, [10, 40])
        self.assertEqual(
            work,
            [(1, 10, [2.0, 1.0]), (2, False, [6.0]), (4, 40, [1.5])],
            "most teammates first, then most hours",
        )
        self.assertEqual(len(rank_teammate_work(rows, [10, 40], limit=1)), 1)

    def test_new_proposals(self):
        proposals = [
            {"source_key": "task:1", "project_id": 1, "task_id": 1},
            {"source_key": "task:1", "project_id": 1, "task_id": 1},  # repeat
            {"source_key": "task:2", "project_id": 1, "task_id": 2},  # logged
            {"source_key": "teammates:3:0", "project_id": 3, "task_id": False},
            {"source_key": "ics:x"},  # no project yet
        ]
        to_create, wanted = new_proposals(proposals, {"teammates:3:0"}, {(1, 2)})
        self.assertEqual([p["source_key"] for p in to_create], ["task:1", "ics:x"])
        self.assertEqual(wanted, {"task:1", "teammates:3:0", "ics:x"})


def translate(source, **values):
    """What env._ does, without translations."""
    return source % values if values else source


class TestSuggestionReasons(BaseCase):
    """suggestion_sources.py: the reasons in words, plain values in."""

    def test_task_reason(self):
        self.assertEqual(
            task_reason(translate, 2, 1),
            "You worked on this task that day: 2 messages, 1 change",
        )
        self.assertEqual(
            task_reason(translate, 1, 0, "2 Mar 2026"),
            "You worked on this task lately, last on 2 Mar 2026: 1 message",
        )
        self.assertEqual(
            task_reason(translate, 0, 3),
            "You worked on this task that day: 3 changes",
        )

    def test_teammates_reason_never_says_who(self):
        self.assertEqual(
            teammates_reason(translate, "Acme Web", "Key visual", 2, 1.75),
            "2 teammates logged time on Acme Web › Key visual that day, "
            "typically 1.75 h each",
        )
        self.assertEqual(
            teammates_reason(translate, "Acme Web", False, 1, 3.0),
            "A teammate logged 3 h on Acme Web that day",
        )
