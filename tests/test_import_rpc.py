"""A scripted migration over JSON-RPC: an administrator's session uploads a
file, runs the dry run, answers its question, imports and rolls back, as
``/web/dataset/call_kw`` calls; every other group is refused at each step,
whatever context it sends (a context key is never a permission)."""

import base64
import json

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_timesheet.tests.common import AgencyCase
from odoo.addons.agency_timesheet.tests.import_samples import (
    GENERIC_CSV_MAP,
    sample,
)

from .rpc import call_kw

ACCESS_ERROR = "odoo.exceptions.AccessError"
BATCH = "agency.import.batch"


@tagged("post_install", "-at_install")
class TestImportOverRpc(AgencyCase, HttpCase):
    def call(self, level, model, method, args, **kwargs):
        return call_kw(self, self.users[level].login, model, method, args, kwargs)

    def result(self, level, model, method, args, **kwargs):
        answer = self.call(level, model, method, args, **kwargs)
        self.assertNotIn("error", answer, answer.get("error"))
        return answer["result"]

    def read(self, batch_id, names):
        return self.result("admin", BATCH, "read", [[batch_id], names])[0]

    def test_scripted_migration(self):
        template = self.result(
            "admin",
            "agency.import.template",
            "create",
            [{"name": "Sheet", "source": "generic",
              "column_map": json.dumps(GENERIC_CSV_MAP)}],
        )  # fmt: skip
        vals = {
            "file": base64.b64encode(sample("generic_timesheet.csv")).decode(),
            "filename": "generic.csv",
            "source": "generic",
            "template_id": template,
        }
        batch = self.result("admin", BATCH, "create", [vals])
        self.result("admin", BATCH, "action_dry_run", [[batch]])
        state = self.read(batch, ["state", "question_choices"])
        self.assertEqual(
            (state["state"], state["question_choices"]), ("question", "dmy,mdy")
        )
        self.result("admin", BATCH, "action_answer", [[batch]], answer="mdy")
        self.assertEqual(self.read(batch, ["state"])["state"], "checked")
        self.result("admin", BATCH, "action_import", [[batch]])
        done = self.read(batch, ["state", "created_count", "odoo_hours"])
        self.assertEqual((done["state"], done["created_count"]), ("done", 3))
        self.assertAlmostEqual(done["odoo_hours"], 15.25)
        self.result("admin", BATCH, "action_rollback", [[batch]])
        self.assertEqual(self.read(batch, ["state"])["state"], "rolled_back")

    def test_other_groups_refused(self):
        vals = {
            "file": base64.b64encode(sample("harvest_detailed_time.csv")).decode(),
            "filename": "harvest.csv",
        }
        batch = self.env[BATCH].create(vals)
        for level in ("internal", "user", "producer", "billing"):
            for method, args, kwargs in (
                ("create", [vals], {}),
                ("action_dry_run", [[batch.id]], {}),
                ("action_import", [[batch.id]], {"context": {"import_file": True}}),
                ("action_rollback", [[batch.id]], {}),
                ("search_read", [[], ["name"]], {}),
            ):
                answer = self.call(level, BATCH, method, args, **kwargs)
                error = answer.get("error", {}).get("data", {})
                self.assertEqual(
                    error.get("name"), ACCESS_ERROR, (level, method, answer)
                )
        self.assertEqual(batch.state, "new")
