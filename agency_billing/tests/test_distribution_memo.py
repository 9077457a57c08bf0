"""The billing run's memory of analytic distributions, without a database."""

from types import SimpleNamespace

from odoo.tests import BaseCase

from ..models.distribution_memo import MEMO_KEY, distribution, remembered


def fake_env(uid=2):
    return SimpleNamespace(
        cr=SimpleNamespace(cache={}),
        uid=uid,
        su=False,
        companies=SimpleNamespace(ids=[1]),
    )


class TestDistributionMemo(BaseCase):
    def lookup(self, vals):
        self.calls.append(dict(vals))
        vals["partner_category_id"] += [False]  # as stock does
        return {"7": 100.0}

    def setUp(self):
        super().setUp()
        self.calls = []

    def facts(self, partner=3):
        return {"product_id": 5, "partner_id": partner, "partner_category_id": []}

    def test_outside_a_run_every_look_up_is_made(self):
        env = fake_env()
        distribution(env, self.facts(), self.lookup)
        distribution(env, self.facts(), self.lookup)
        self.assertEqual(len(self.calls), 2)

    def test_inside_a_run_the_same_facts_are_looked_up_once(self):
        env = fake_env()
        with remembered(env):
            first = distribution(env, self.facts(), self.lookup)
            first["8"] = 1.0  # a caller changing its copy changes nothing
            second = distribution(env, self.facts(), self.lookup)
            distribution(env, self.facts(partner=4), self.lookup)
        self.assertEqual(second, {"7": 100.0})
        self.assertEqual(len(self.calls), 2)  # partner 3, then partner 4
        self.assertNotIn(MEMO_KEY, env.cr.cache)  # forgotten on leaving
        distribution(env, self.facts(), self.lookup)
        self.assertEqual(len(self.calls), 3)

    def test_nested_blocks_share_the_outer_memory(self):
        env = fake_env()
        with remembered(env):
            distribution(env, self.facts(), self.lookup)
            with remembered(env):
                distribution(env, self.facts(), self.lookup)
            self.assertIn(MEMO_KEY, env.cr.cache)
            distribution(env, self.facts(), self.lookup)
        self.assertEqual(len(self.calls), 1)

    def test_another_user_looks_up_for_itself(self):
        env = fake_env()
        with remembered(env):
            distribution(env, self.facts(), self.lookup)
            env.uid = 6
            distribution(env, self.facts(), self.lookup)
        self.assertEqual(len(self.calls), 2)
