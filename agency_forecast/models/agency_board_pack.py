"""The board pack: one XLSX and one PDF for the board (margins summary,
utilization by role, the scenarios with their assumptions, cash runway,
forecast accuracy of the last snapshots, top warnings).

*Board Pack* (a scenario's button, *Agency › Analysis › Board Pack*) only
queues a pack and triggers the cron job; the request returns at once. The
job builds each pack in batches, one section (then the XLSX, then the PDF)
per batch, reporting Odoo 18's cron progress (``_notify_progress``) and
the cron runner commits after each; every section reads aggregates (grouped reads, the
heatmap's grid, the scenarios' figures), never a row per entry, so memory
stays flat in the number of entries. When ready, the attachments are posted
on the pack, its author gets an activity and a notification, and the audit
log records the export of money data.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import board_pack as bp
from ..heatmap import heatmap_data, week_first
from ..profitability import Totals, add, kpis

_logger = logging.getLogger(__name__)

STEPS = (*(key for key, _title in bp.SECTIONS), "xlsx", "pdf")
LEVERS = (
    "rate_change", "rate_change_date", "write_off_share", "tentative_probability",
    "utilization_change", "extra_delay_days", "payment_term", "overheads_change",
)  # fmt: skip
LAST_SNAPSHOTS = 3
TOP_WARNINGS = 10
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AgencyBoardPack(models.Model):
    _name = "agency.board.pack"
    _description = "Agency Board Pack"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012 (Odoo reads it)
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Asked By", readonly=True, default=lambda s: s.env.user
    )
    date = fields.Date(
        string="Forecast From", required=True, readonly=True,
        default=fields.Date.context_today,
    )  # fmt: skip
    state = fields.Selection(
        [("queued", "Queued"), ("running", "Building"), ("done", "Ready"),
         ("failed", "Failed")],
        required=True, default="queued", readonly=True,
    )  # fmt: skip
    step = fields.Integer(readonly=True, help="Batches done.")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    sections = fields.Json(
        readonly=True, groups="agency_timesheet.group_agency_billing"
    )
    xlsx_id = fields.Many2one("ir.attachment", string="XLSX", readonly=True)
    pdf_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)
    error = fields.Text(readonly=True)

    @api.depends("step")
    def _compute_progress(self):
        for pack in self:
            pack.progress = 100.0 * pack.step / len(STEPS)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if set(vals) - {"name", "date", "company_id"}:
                raise UserError(
                    self.env._(
                        "A board pack is asked for with New Board Pack and built by "
                        "the system; its files and state are never set by hand."
                    )
                )
        return super().create(vals_list)

    @api.model
    def agency_request(self, today=None):
        """Queue a board pack of the current company and trigger the job: the
        notification action, at once."""
        self.env["agency.forecast.scenario"].check_access("read")
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        pack = self.create(
            {
                "name": self.env._("Board pack %(day)s", day=today),
                "date": today,
            }
        )
        self.env.ref("agency_forecast.agency_board_pack_cron")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": pack.name,
                "message": self.env._(
                    "Being built in the background: you get an activity with "
                    "the XLSX and the PDF when they are ready."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_retry(self):
        """Build a failed pack again, from the step it failed at."""
        self.check_access("read")
        self.filtered(lambda p: p.state == "failed").sudo().write(
            {"state": "queued", "error": False}
        )
        self.env.ref("agency_forecast.agency_board_pack_cron")._trigger()

    # -- the job -----------------------------------------------------------------

    @api.model
    def _cron_build(self, limit=None):
        """One batch: the next step of every waiting pack (or of the first
        `limit`); progress is the steps done in this batch and the steps left
        over all packs, so the cron runner commits and calls again while some
        are left (Odoo 18's batched crons)."""
        packs = self.search([("state", "in", ("queued", "running"))], order="id")
        if limit:
            packs = packs[:limit]
        done = 0
        for pack in packs:
            pack._agency_build_step()
            done += 1
        left = sum(
            len(STEPS) - p.step
            for p in self.search([("state", "in", ("queued", "running"))])
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=left)
        return done

    def _agency_build_step(self):
        """Build the next step of this pack as its author (their rights and
        companies); a failure marks the pack failed with the reason."""
        self.ensure_one()
        step = STEPS[self.step]
        pack = self.with_user(self.user_id).with_company(self.company_id)
        try:
            with self.env.cr.savepoint():
                if step == "xlsx":
                    pack._agency_attach_xlsx()
                elif step == "pdf":
                    pack._agency_attach_pdf()
                else:
                    sections = dict(self.sudo().sections or {})
                    sections[step] = getattr(pack, f"_agency_section_{step}")()
                    self.sudo().sections = sections
        except Exception as error:  # named on the pack, logged
            _logger.exception("Board pack %s failed at %s", self.id, step)
            self.write({"state": "failed", "error": f"{step}: {error}"})
            return
        self.write({"step": self.step + 1, "state": "running"})
        if self.step == len(STEPS):
            self._agency_done()

    def _agency_ordered_sections(self):
        stored = self.sudo().sections or {}
        return [stored[key] for key, _title in bp.SECTIONS if key in stored]

    # -- the sections (aggregates only) ----------------------------------------

    def _agency_section_margins(self):
        start = fields.Date.subtract(self.date, years=1)
        Fact = self.env["agency.margin.fact"]
        Fact.check_access("read")
        totals = Fact._agency_totals(
            [
                ("company_id", "=", self.company_id.id),
                ("date", ">", start),
                ("date", "<=", self.date),
            ],
            ["engagement_kind"],
        )
        labels = dict(Fact._fields["engagement_kind"]._description_selection(self.env))
        labels[False] = self.env._("Internal")
        labels["total"] = self.env._("Total")
        rows = [
            (kind, kpis(value))
            for kind, value in sorted(totals.items(), key=lambda kv: str(kv[0]))
        ]
        rows.append(("total", kpis(add(Totals(), *totals.values()))))
        header = [self.env._(x) for x in (
            "Engagement kind", "Revenue", "Cost", "Margin", "Margin %", "Hours",
            "Billable share %")]  # fmt: skip
        return bp.section("margins", header, bp.margins_rows(rows, labels))

    def _agency_section_utilization(self):
        first = week_first(self.env, self.date)
        data = heatmap_data(self.env, first, 13, None, self.date, whole=True)
        header = [self.env._(x) for x in (
            "Role", "Capacity (h)", "Logged (h)", "Booked (h)", "Tentative (h)",
            "Booked %")]  # fmt: skip
        return bp.section(
            "utilization",
            header,
            bp.utilization_rows(data["roles"]),
            title=self.env._("Utilization by role"),
        )

    def _agency_figures(self):
        Scenario = self.env["agency.forecast.scenario"]
        data = Scenario.agency_forecast_data(today=self.date)
        notes = {s.id: s.note for s in Scenario.browse(
            [s["id"] for s in data["scenarios"]])}  # fmt: skip
        for figures in data["scenarios"]:
            figures["note"] = notes.get(figures["id"]) or ""
        return data

    def _agency_section_scenarios(self):
        data = self._agency_figures()
        Scenario = self.env["agency.forecast.scenario"]
        labels = [
            Scenario._fields[name].string if name in Scenario._fields
            else self.env._("Other Payment Terms") for name in LEVERS
        ]  # fmt: skip
        header = [
            self.env._("Scenario"), *labels, self.env._("Revenue 12 months"),
            self.env._("Billings 12 months"), self.env._("Cash in 12 months"),
            self.env._("Lowest balance"), self.env._("Lowest in week of"),
            self.env._("Assumptions"),
        ]  # fmt: skip
        return bp.section(
            "scenarios", header, bp.scenario_rows(data["scenarios"], LEVERS)
        )

    def _agency_section_runway(self):
        data = self._agency_figures()
        header = [self.env._("Month")]
        for s in data["scenarios"]:
            header += [
                self.env._("%s net cash", s["name"]),
                self.env._("%s balance", s["name"]),
            ]
        opening = bp.money(data["opening_balance"])
        rows = [[self.env._("Opening"), *(["", opening] * len(data["scenarios"]))]]
        rows += bp.runway_rows(data["months"], data["scenarios"])
        return bp.section("runway", header, rows)

    def _agency_section_accuracy(self):
        snapshots = self.env["agency.forecast.snapshot"].search(
            [("company_id", "=", self.company_id.id)], limit=LAST_SNAPSHOTS
        )
        by_month = self.env["agency.forecast.accuracy"].agency_accuracy_by_month(
            snapshots.ids, until=self.date
        )
        header = [self.env._(x) for x in (
            "Snapshot", "Figure", "Month", "Forecast", "Actual", "Difference",
            "Error %")]  # fmt: skip
        return bp.section(
            "accuracy",
            header,
            bp.accuracy_rows([(s.name, by_month.get(s.id, [])) for s in snapshots]),
        )

    def _agency_section_warnings(self):
        Warning = self.env["agency.warning"]
        warnings = Warning.search(
            [("company_id", "=", self.company_id.id), ("state", "=", "open")],
            order="severity asc, first_seen desc, id desc",
            limit=TOP_WARNINGS,
        )
        severity = dict(Warning._fields["severity"]._description_selection(self.env))
        header = [self.env._(x) for x in ("Severity", "Warning", "Owner", "Since")]
        rows = [
            [
                severity.get(w.severity, w.severity),
                w.name,
                w.owner_id.name or "",
                str(w.first_seen or ""),
            ]
            for w in warnings
        ]
        return bp.section("warnings", header, rows)

    # -- the files ---------------------------------------------------------------

    def _agency_attach(self, field, name, raw, mimetype):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": raw,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo()[field] = attachment

    def _agency_attach_xlsx(self):
        raw = bp.workbook(self._agency_ordered_sections())
        self._agency_attach("xlsx_id", f"{self.name}.xlsx", raw, XLSX_MIMETYPE)

    def _agency_attach_pdf(self):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("agency_forecast.agency_board_pack_report", self.ids)
        )
        self._agency_attach("pdf_id", f"{self.name}.pdf", pdf, "application/pdf")

    def _agency_done(self):
        self.write({"state": "done"})
        attachments = self.xlsx_id | self.pdf_id
        self.env["agency.audit"]._log_operation(
            "export",
            self,
            reason=self.env._("Board pack produced: %s", self.name),
        )
        self.sudo().message_post(
            body=self.env._("The board pack is ready."),
            attachment_ids=attachments.ids,
        )
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_id.id,
            summary=self.env._("Board pack ready: %s", self.name),
        )
        self.env["bus.bus"]._sendone(
            self.user_id.partner_id,
            "simple_notification",
            {
                "type": "success",
                "title": self.name,
                "message": self.env._("The board pack is ready."),
            },
        )
