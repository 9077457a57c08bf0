"""The demo agency's expenses, re-billed with their receipts on an invoice.

On the Dune retainer (retainer.py), on the two ``plan.expense_days`` of the
billing month (plan.py): a taxi and a print proof, each with a PDF receipt,
in two expense categories (travel, re-billed with the engagement's 10 %
markup; print proofs at cost, their category's own markup of 0 %), on one
expense sheet, submitted and approved; then a billing run up to the last day
of the billing month whose posted invoice carries both receipts.
"""

import logging

from odoo.exceptions import UserError

from odoo.addons.agency_timesheet.demo.common import (
    demo_env,
    plan_for,
    ref,
    register,
)

from .billing import billed_run, can_invoice

_logger = logging.getLogger(__name__)


def build(env, today=None):
    """Expenses re-billed with their receipts on an invoice: a taxi and a
    print proof on the Dune retainer last month, approved, re-billed with a
    10 % markup (print at cost: its category has its own markup of 0 %) by
    a billing run whose posted invoice carries both receipts. Once (a second
    call does nothing), and only on the retainer."""
    engagement = ref(env, "engagement_dune_social")
    if not engagement or ref(env, "expense_dune_taxi"):
        return
    demo = demo_env(env, engagement.company_id)
    try:
        with env.cr.savepoint():
            build_expenses(demo, engagement, plan_for(demo, today))
    except UserError as error:
        env.invalidate_all()
        _logger.warning("Demo expenses not built: %s", error)


def build_expenses(env, engagement, plan):
    project = engagement.project_ids[:1]
    employee = (
        env["account.analytic.line"]
        .search([("project_id", "=", project.id)], limit=1)
        .employee_id
    )
    if not project or not employee:
        return
    end_last = plan.billing_month[1]
    Product = env["product.product"]
    travel = register(
        env,
        "expense_category_travel",
        Product.create(
            {
                "name": "Travel (re-billed)",
                "type": "service",
                "can_be_expensed": True,
                "supplier_taxes_id": [(5, 0, 0)],
                "agency_expense_limit": 150.0,
            }
        ),
    )
    printing = register(
        env,
        "expense_category_print",
        Product.create(
            {
                "name": "Print proofs (re-billed at cost)",
                "type": "service",
                "can_be_expensed": True,
                "supplier_taxes_id": [(5, 0, 0)],
                "agency_expense_markup_set": True,
                "agency_expense_markup": 0.0,
            }
        ),
    )
    engagement.expense_markup = 10.0
    expenses = env["hr.expense"]
    taxi_day, print_day = plan.expense_days
    for key, name, product, amount, day in (
        ("expense_dune_taxi", "Taxi to the museum shoot", travel, 42.5, taxi_day),
        ("expense_dune_print", "Poster proofs", printing, 180.0, print_day),
    ):
        expense = env["hr.expense"].create(
            {
                "name": name,
                "employee_id": employee.id,
                "product_id": product.id,
                "total_amount_currency": amount,
                "date": day,
                "agency_project_id": project.id,
                "agency_rebill": True,
            }
        )
        env["ir.attachment"].create(
            {
                "name": f"{name} receipt.pdf",
                "raw": receipt_pdf(name, amount),
                "mimetype": "application/pdf",
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        expenses |= register(env, key, expense)
    sheet = env["hr.expense.sheet"].create(
        {
            "name": "Dune shoot expenses",
            "employee_id": employee.id,
            "expense_line_ids": [(6, 0, expenses.ids)],
        }
    )
    sheet.action_submit_sheet()
    sheet.action_approve_expense_sheets()
    run = billed_run(
        env,
        engagement,
        engagement.user_id,
        env.ref("base.user_admin"),
        end_last,
        end_last,
        can_invoice(env, engagement.company_id),
    )
    register(env, "billing_run_dune_expenses", run)
    if run.invoice_ids:
        register(env, "invoice_dune_expenses", run.invoice_ids[:1])


def receipt_pdf(title, amount):
    """A one-page PDF receipt (the demo's scan)."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}: {amount:.2f}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
