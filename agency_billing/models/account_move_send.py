"""Sending an invoice: the receipts of the expenses it re-bills go with it."""

from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_attachments_widget(
        self,
        move,
        mail_template,
        invoice_edi_format=None,
        extra_edis=None,
        pdf_report=None,
    ):
        """The receipts copied onto the invoice are attached to its email by
        default (the sender may remove them in the send dialog)."""
        attachments = super()._get_default_mail_attachments_widget(
            move,
            mail_template,
            invoice_edi_format=invoice_edi_format,
            extra_edis=extra_edis,
            pdf_report=pdf_report,
        )
        present = {item["id"] for item in attachments}
        return attachments + [
            {
                "id": receipt.id,
                "name": receipt.name,
                "mimetype": receipt.mimetype,
                "placeholder": False,
            }
            for receipt in self.env["hr.expense"]._agency_invoice_receipts(move)
            if receipt.id not in present
        ]
