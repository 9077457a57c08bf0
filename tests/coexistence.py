"""Uninstall the add-ons from a database and prove stock Odoo still works there.

    python3 tests/coexistence.py --config .local/odoo.conf --database DB

The database is a copy of the test database (stock `sale_timesheet` with its demo
data, the three add-ons and the demo agency). After the uninstall: no add-on model
or column is left, stock timesheet and sale order screens load, and the stock
"invoice delivered timesheets" flow invoices exactly the hours logged. Exits
non-zero, saying what broke, otherwise prints "coexistence: ok".
"""

import argparse
import sys

import odoo
from odoo import SUPERUSER_ID, api

ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")


def environment(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def uninstall(database):
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = environment(cr)
        modules = env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        if len(modules) != len(ADDONS):
            sys.exit(f"expected {ADDONS} installed, found {modules.mapped('name')}")
        modules.button_immediate_uninstall()


def check(database):
    registry = odoo.modules.registry.Registry.new(database)
    failures = []
    with registry.cursor() as cr:
        env = environment(cr)
        states = dict(
            env["ir.module.module"]
            .search([("name", "in", ADDONS)])
            .mapped(lambda m: (m.name, m.state))
        )
        if set(states.values()) != {"uninstalled"}:
            failures.append(f"add-ons not uninstalled: {states}")
        if "agency.role" in env:
            failures.append("model agency.role is still in the registry")
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'account_analytic_line' AND column_name = 'role_id'"
        )
        if cr.fetchone():
            failures.append("column account_analytic_line.role_id is still there")
        cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'account_analytic_line'"
            " AND indexname LIKE '%%agency%%'"
        )
        if cr.fetchall():
            failures.append("an agency index on account_analytic_line is still there")
        if env["ir.ui.menu"].search([("name", "=", "Agency")]):
            failures.append("the Agency menu is still there")

        for model in ("account.analytic.line", "hr.employee", "project.task"):
            env[model].get_views([(False, "list"), (False, "form"), (False, "search")])
            env[model].web_search_read([], {"display_name": {}}, limit=5)

        # The stock flow: sell a service invoiced on delivered timesheets.
        product = env.ref("sale_timesheet.product_service_deliver_timesheet_1")
        order = env["sale.order"].create(
            {
                "partner_id": env.ref("base.res_partner_2").id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        line = order.order_line
        task = line.task_id or env["project.task"].create(
            {"name": "Coexistence", "project_id": line.project_id.id}
        )
        employee = env["hr.employee"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        env["account.analytic.line"].create(
            {
                "name": "Stock flow",
                "task_id": task.id,
                "project_id": task.project_id.id,
                "employee_id": employee.id,
                "unit_amount": 3.0,
            }
        )
        if line.qty_delivered != 3.0:
            failures.append(f"delivered quantity {line.qty_delivered}, expected 3.0")
        invoice = order._create_invoices()
        quantity = sum(invoice.invoice_line_ids.mapped("quantity"))
        if quantity != 3.0:
            failures.append(f"invoiced quantity {quantity}, expected 3.0")
        cr.rollback()
    if failures:
        sys.exit("coexistence: FAILED\n  " + "\n  ".join(failures))
    print("coexistence: ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    uninstall(args.database)
    check(args.database)


if __name__ == "__main__":
    main()
