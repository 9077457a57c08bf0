"""Whether Odoo could post an engagement's invoice: a client with a
receivable account, a sales journal, a product (or journal) with an income
account. Each refusal names the record and the way out."""

from odoo.exceptions import UserError


def check_invoiceable(engagements):
    """Refuse, with the way out, the first engagement whose invoice Odoo could
    not post."""
    for engagement in engagements:
        partner = engagement.partner_id.with_company(engagement.company_id)
        if not partner.property_account_receivable_id:
            raise UserError(
                engagements.env._(
                    "Client %(client)s of engagement %(name)s has no "
                    "receivable account: set one on the client's Invoicing "
                    "tab (Account Receivable), then create the invoices again.",
                    client=partner.display_name,
                    name=engagement.display_name,
                )
            )
        product = engagement.product_id.with_company(engagement.company_id)
        accounts = product.product_tmpl_id.get_product_accounts()
        journal = engagements.env["account.journal"].search(
            [
                *engagements.env["account.journal"]._check_company_domain(
                    engagement.company_id
                ),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                engagements.env._(
                    "Company %(company)s has no sales journal for the invoices "
                    "of engagement %(name)s: install a chart of accounts or "
                    "add a Sales journal in Invoicing › Configuration.",
                    company=engagement.company_id.name,
                    name=engagement.display_name,
                )
            )
        if not accounts.get("income") and not journal.default_account_id:
            raise UserError(
                engagements.env._(
                    "Product %(product)s of engagement %(name)s has no income "
                    "account: set one on the product (or its category), or a "
                    "default account on journal %(journal)s.",
                    product=product.display_name,
                    name=engagement.display_name,
                    journal=journal.display_name,
                )
            )
