"""The one audit trail: append-only through the ORM and in SQL (the trigger),
one row per operation, the screen's export, retention (preview equals purge),
the personal data export and who can see rates."""

import base64
import io
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, config, mute_logger

from ..encryption import new_key
from ..retention import ANONYMISED
from .common import AgencyCase


def _insert_audit(env, days_ago, reason="old"):
    """An audit row dated days_ago (INSERT passes the trigger; UPDATE would not)."""
    env.cr.execute(
        SQL(
            """INSERT INTO agency_audit (create_date, user_id, company_id, res_model,
                   res_id, operation, reason)
               VALUES (now() at time zone 'UTC' - %s * interval '1 day', %s, %s,
                   'res.company', %s, 'lock', %s) RETURNING id""",
            days_ago,
            env.uid,
            env.company.id,
            env.company.id,
            reason,
        )
    )
    return env["agency.audit"].browse(env.cr.fetchone()[0])


def _sheet_rows(action, env, title):
    attachment_id = int(action["url"].split("/")[3].split("?")[0])
    raw = base64.b64decode(env["ir.attachment"].sudo().browse(attachment_id).datas)
    book = load_workbook(io.BytesIO(raw), read_only=True)
    return list(book[title].iter_rows(min_row=2, values_only=True))


@tagged("post_install", "-at_install")
class TestAppendOnly(AgencyCase):
    def setUp(self):
        super().setUp()
        self.row = _insert_audit(self.env, 1)
        self.admin = self.users["admin"]

    def test_orm_refuses_admin_and_superuser(self):
        for env in (self.env(user=self.admin), self.env(su=True)):
            row = self.row.with_env(env)
            with self.assertRaises(UserError):  # an AccessError is one
                row.write({"reason": "tampered"})
            with self.assertRaises(UserError):  # an AccessError is one
                row.unlink()
        with self.assertRaises(UserError):
            self.env["agency.audit"].with_user(self.admin).create(
                {"res_model": "x", "res_id": 1, "operation": "write"}
            )
        self.assertEqual(self.row.reason, "old")

    @mute_logger("odoo.sql_db")
    def test_sql_trigger_refuses_update_and_delete(self):
        cr = self.env(user=self.admin).cr
        for statement in (
            SQL("UPDATE agency_audit SET reason = 'x' WHERE id = %s", self.row.id),
            SQL(
                "UPDATE agency_audit SET line_id = NULL, reason = 'x' WHERE id = %s",
                self.row.id,
            ),
            SQL("DELETE FROM agency_audit WHERE id = %s", self.row.id),
        ):
            with (
                self.assertRaises(psycopg2.errors.InsufficientPrivilege),
                cr.savepoint(),
            ):
                cr.execute(statement)
        # the purge's setting is needed, and only for DELETE
        with (
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            cr.savepoint(),
        ):
            cr.execute("SET LOCAL agency.audit_purge = 'on'")
            cr.execute(
                SQL("UPDATE agency_audit SET reason = 'x' WHERE id = %s", self.row.id)
            )
        self.env.invalidate_all()
        self.assertEqual(self.row.reason, "old")

    def test_deleting_an_entry_keeps_its_rows(self):
        line = self.log(self.employees["user"], 2)
        row = self.env["agency.audit"]._log_operation("write", line)
        line.sudo().unlink()
        self.env.invalidate_all()
        self.assertTrue(row.exists())
        self.assertFalse(row.line_id)
        self.assertEqual(row.res_id, line.id)


@tagged("post_install", "-at_install")
class TestAuditedOperations(AgencyCase):
    def _rows(self, operation, **domain):
        return self.env["agency.audit"].search(
            [("operation", "=", operation)]
            + [(name, "=", value) for name, value in domain.items()]
        )

    @freeze_time("2027-01-01")
    def test_lock_date_change_one_row(self):
        day = fields.Date.today() - timedelta(days=40)
        before = self._rows("lock", res_model="res.company", res_id=self.company.id)
        self.company.with_user(
            self.users["admin"]
        ).sudo().agency_timesheet_lock_date = day
        rows = self._rows("lock", res_model="res.company", res_id=self.company.id)
        rows -= before
        self.assertEqual(len(rows), 1)
        self.assertIn(str(day), rows.new_value)

    def test_billing_membership_audited_and_admins_notified(self):
        billing = self.env.ref("agency_timesheet.group_agency_billing")
        newcomer = self.new_user("agency_newcomer", "user", name="New Comer")
        before = self.env["mail.message"].search_count([])
        earlier = self._rows("membership", res_model="res.groups", res_id=billing.id)
        newcomer.groups_id = [Command.link(billing.id)]
        rows = self._rows("membership", res_model="res.groups", res_id=billing.id)
        rows -= earlier
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.subject_user_id, newcomer)
        self.assertIn("New Comer", rows.new_value)
        notes = self.env["mail.message"].search(
            [("subject", "ilike", "added to Billing")], order="id desc", limit=1
        )
        self.assertGreater(self.env["mail.message"].search_count([]), before)
        self.assertIn(self.users["admin"].partner_id, notes.partner_ids)
        # and removing them again
        billing.users = [Command.unlink(newcomer.id)]
        rows = self._rows("membership", res_model="res.groups", res_id=billing.id)
        rows -= earlier
        self.assertEqual(len(rows), 2)
        self.assertIn("New Comer", rows[0].old_value)

    def test_export_is_audited(self):
        _insert_audit(self.env, 1, reason="to export")
        Audit = self.env["agency.audit"].with_user(self.users["billing"])
        action = Audit.search([]).action_export_xlsx()
        rows = _sheet_rows(action, self.env, "Audit")
        self.assertIn("to export", [row[-1] for row in rows])
        export = self._rows("export", res_model="agency.audit")
        export = export.filtered(lambda row: row.user_id == self.users["billing"])
        self.assertEqual(len(export), 1)
        self.assertEqual(export.user_id, self.users["billing"])


@tagged("post_install", "-at_install")
class TestRetention(AgencyCase):
    def test_shorter_than_the_legal_minimum_is_refused(self):
        with self.assertRefused(ValidationError, "at least 6 years"):
            self.company.agency_retention_audit_years = 5
        with self.assertRefused(ValidationError, "at least 1"):
            self.company.agency_retention_timer_months = 0
        self.assertEqual(self.company.agency_retention_audit_years, 10)

    @freeze_time("2027-01-01")
    def test_preview_equals_purge(self):
        env = self.env
        today = fields.Date.today()
        old_row = _insert_audit(env, 366 * 11)
        new_row = _insert_audit(env, 366 * 9)
        Suggestion = env["agency.suggestion"].sudo()
        old_sug, new_sug = Suggestion.create(
            [
                {
                    "user_id": self.users["user"].id,
                    "date": day,
                    "source": "ics",
                    "source_key": f"test-{day}",
                    "project_id": self.project.id,
                    "hours": 1,
                    "name": "Call",
                }
                for day in (today - timedelta(days=400), today)
            ]
        )
        Timer = env["agency.timer"].sudo()
        old_timer, new_timer, blank_timer = Timer.create(
            [
                {
                    "user_id": self.users[login].id,
                    "project_id": self.project.id,
                    "note": note,
                }
                for login, note in (
                    ("user", "Call with the client's lawyer"),
                    ("producer", "Recent note"),
                    ("billing", False),
                )
            ]
        )
        # stopped: a year ago (older than the 3 months kept), last week
        for timer, stopped in (
            (old_timer, today - relativedelta(years=1)),
            (new_timer, today - timedelta(days=7)),
            (blank_timer, today - relativedelta(years=1)),
        ):
            env.cr.execute(
                "UPDATE agency_timer SET state = 'stopped', stopped_at = %s,"
                " write_date = %s, accumulated_seconds = 5400, run_started_at = NULL"
                " WHERE id = %s",
                (stopped, stopped, timer.id),
            )
        left = env["hr.employee"].create(
            {"name": "Gone Person", "role_id": self.role_designer.id}
        )
        gone_line = self.log(
            left, 3, day=str(today - relativedelta(years=3)), name="Private notes"
        )
        kept_line = self.log(
            self.employees["user"],
            3,
            day=str(today - relativedelta(years=3)),
            name="Stays",
        )
        left.write({"departure_date": today - relativedelta(years=3), "active": False})
        self.company.agency_timesheet_lock_date = today - relativedelta(years=1)
        env.invalidate_all()

        Retention = env["agency.retention"]
        preview = {
            (company.id, kind.code): set(records.ids)
            for company, kind, records in Retention._agency_preview(self.company)
        }
        ours = self.company.id
        self.assertIn(old_row.id, preview[ours, "audit"])
        self.assertNotIn(new_row.id, preview[ours, "audit"])
        self.assertIn(old_sug.id, preview[ours, "suggestion"])
        self.assertNotIn(new_sug.id, preview[ours, "suggestion"])
        self.assertIn(old_timer.id, preview[ours, "timer"])
        self.assertNotIn(new_timer.id, preview[ours, "timer"])
        self.assertNotIn(blank_timer.id, preview[ours, "timer"])
        self.assertIn(gone_line.id, preview[ours, "departed"])
        self.assertNotIn(kept_line.id, preview[ours, "departed"])
        wizard = (
            env["agency.retention.preview"].with_user(self.users["admin"]).create({})
        )
        self.assertIn(
            "people who left anonymised (hours and amounts stay) — 1", wizard.summary
        )

        counts = Retention._agency_purge(self.company)
        self.assertEqual(counts, {key: len(ids) for key, ids in preview.items()})
        env.invalidate_all()
        self.assertFalse(old_row.exists())
        self.assertTrue(new_row.exists())
        self.assertFalse(old_sug.exists())
        self.assertTrue(new_sug.exists())
        # the old timer's note blanked, the row, its hours and dates kept
        self.assertTrue(old_timer.exists())
        self.assertFalse(old_timer.note)
        self.assertEqual(old_timer.state, "stopped")
        self.assertEqual(old_timer.accumulated_seconds, 5400)
        self.assertEqual(old_timer.stopped_at.date(), today - relativedelta(years=1))
        self.assertEqual(new_timer.note, "Recent note")
        self.assertTrue(blank_timer.exists())
        self.assertEqual(gone_line.name, ANONYMISED)
        self.assertEqual(gone_line.unit_amount, 3)
        self.assertEqual(kept_line.name, "Stays")
        # nothing left to purge, and the purge itself audited with counts only
        after = Retention._agency_preview(self.company)
        self.assertFalse(any(records for _c, _k, records in after))
        purge = env["agency.audit"].search([("operation", "=", "purge")], limit=1)
        self.assertIn("Audit rows deleted", purge.new_value)
        self.assertIn("Notes of stopped timers blanked", purge.new_value)
        self.assertNotIn("lawyer", purge.new_value)
        self.assertNotIn("Private notes", purge.new_value)
        # and the purge's setting does not outlive it
        with (
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            env.cr.savepoint(),
        ):
            env.cr.execute(SQL("DELETE FROM agency_audit WHERE id = %s", new_row.id))


@tagged("post_install", "-at_install")
class TestPersonalExport(AgencyCase):
    def test_exactly_that_persons_records(self):
        me, other = self.employees["user"], self.employees["producer"]
        mine = self.log(me, 2, name="Mine")
        theirs = self.log(other, 4, name="Theirs")
        Timer = self.env["agency.timer"]
        my_timer = Timer.with_user(me.user_id).create({"project_id": self.project.id})
        Timer.with_user(other.user_id).create({"project_id": self.project.id})
        my_row = self.env["agency.audit"]._log_operation("write", mine)
        their_row = self.env["agency.audit"]._log_operation("write", theirs)
        Export = self.env["agency.personal.export"].with_user(self.users["admin"])
        held = Export._agency_records(me)
        self.assertEqual(held["entries"], mine)
        self.assertEqual(held["timers"], my_timer)
        self.assertIn(my_row, held["audit"])
        self.assertNotIn(their_row, held["audit"])
        for row in held["audit"]:
            self.assertTrue(
                row.user_id == me.user_id
                or row.subject_user_id == me.user_id
                or me in row.entry_ids.employee_id
            )
        action = Export.create({"employee_id": me.id}).action_export()
        entries = _sheet_rows(action, self.env, "Entries")
        self.assertEqual([row[4] for row in entries], ["Mine"])
        self.assertEqual(len(_sheet_rows(action, self.env, "Timers")), 1)
        self.assertEqual(_sheet_rows(action, self.env, "Activity"), [])

    def test_activity_events_and_calendar_feed(self):
        """The activity their tools sent (theirs, and unassigned events with
        their email) and their feed's state; never the feed's address."""
        me, other = self.employees["user"], self.employees["producer"]
        me.user_id.email = "Me@Studio.example.com"
        Event = self.env["agency.activity.event"]
        base = {"company_id": self.company.id, "started_at": "2026-03-02 10:00:00"}
        Event.create(
            [
                {**base, "source": "github", "external_id": "c1", "title": "Mine",
                 "user_id": me.user_id.id, "payload": "{}"},
                {**base, "source": "jira", "external_id": "j1", "title": "Unassigned",
                 "email": "me@studio.example.com"},
                {**base, "source": "github", "external_id": "c2", "title": "Theirs",
                 "user_id": other.user_id.id},
            ]
        )  # fmt: skip
        with patch.dict(config.options, {"agency_encryption_key": new_key()}):
            self.env["agency.secret"]._agency_store(
                me.user_id, "calendar_feed", "https://cal.example.com/secret-abc.ics"
            )
            self.env["agency.calendar.feed"].create(
                {
                    "user_id": me.user_id.id,
                    "company_id": self.company.id,
                    "last_error": "the server answered 500",
                }
            )
            Export = self.env["agency.personal.export"].with_user(self.users["admin"])
            held = Export._agency_records(me)
            self.assertEqual(
                sorted(held["activity"].mapped("title")), ["Mine", "Unassigned"]
            )
            action = Export.create({"employee_id": me.id}).action_export()
        activity = _sheet_rows(action, self.env, "Activity")
        self.assertEqual(sorted(row[3] for row in activity), ["Mine", "Unassigned"])
        self.assertIn("yes", [row[8] for row in activity], "the payload is said kept")
        settings = dict(_sheet_rows(action, self.env, "Connections"))
        self.assertEqual(settings["Calendar feed address set"], "yes")
        self.assertEqual(
            settings["Calendar feed last error"], "the server answered 500"
        )
        everything = repr(
            [
                _sheet_rows(action, self.env, name)
                for name in ("Activity", "Connections")
            ]
        )
        self.assertNotIn("secret-abc", everything, "the address stays secret")
        export = self.env["agency.audit"].search(
            [("operation", "=", "export"), ("res_model", "=", "hr.employee")]
        )
        self.assertEqual(export.subject_user_id, me.user_id)
        self.assertNotIn("Mine", export.new_value or "")


@tagged("post_install", "-at_install")
class TestRateVisibility(AgencyCase):
    def test_list_matches_the_groups(self):
        Visibility = self.env["agency.rate.visibility"].with_user(self.users["admin"])
        Visibility.action_refresh()
        rows = Visibility.search([])
        readers = {row.user_id for row in rows if row.what == "Bill rates"}
        billing = self.env.ref("agency_timesheet.group_agency_billing")
        internal = self.env["res.users"].search([("share", "=", False)])
        self.assertEqual(
            readers, set(internal.filtered(lambda u: billing in u.groups_id))
        )
        self.assertIn(self.users["billing"], readers)
        self.assertIn(self.users["admin"], readers)
        for level in ("internal", "user", "producer"):
            self.assertNotIn(self.users[level], {row.user_id for row in rows})
        admin_row = rows.filtered(
            lambda r: r.user_id == self.users["admin"] and r.what == "Bill rates"
        )
        self.assertIn("→", admin_row.chain)
        report = self.env.ref("agency_timesheet.agency_rate_visibility_report")
        html = self.env["ir.actions.report"]._render_qweb_html(report.id, rows.ids)[0]
        self.assertIn(self.users["billing"].name, html.decode())
