"""What the next retention purge removes, per company and kind: the counts and
the records (the same list the purge removes), and a button to purge now."""

from markupsafe import Markup, escape

from odoo import fields, models

SHOWN = 50  # records named per kind; the count is always whole


class AgencyRetentionPreview(models.TransientModel):
    _name = "agency.retention.preview"
    _description = "Agency Retention Preview"

    summary = fields.Html(compute="_compute_summary", sanitize=False)
    total = fields.Integer(compute="_compute_summary")

    def _compute_summary(self):
        rows = self.env["agency.retention"]._agency_preview(self.env.companies)
        html = Markup("")
        total = 0
        for company, kind, records in rows:
            total += len(records)
            names = records[:SHOWN].mapped("display_name")
            if len(records) > SHOWN:
                names.append(self.env._("… and %s more", len(records) - SHOWN))
            html += Markup(
                "<h4>{company}: {label} — {count}</h4><p>{names}</p>"
            ).format(
                company=escape(company.name),
                label=escape(kind.label),
                count=len(records),
                names=escape(", ".join(names) or self.env._("nothing")),
            )
        for wizard in self:
            wizard.summary = html
            wizard.total = total

    def action_purge(self):
        """Purge now what the preview lists (the nightly cron does the same)."""
        self.env["agency.retention"]._agency_purge(self.env.companies)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
        }
