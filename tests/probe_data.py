"""Build and COMMIT the probe suite's data in a disposable database; print
what the probe needs to know as one JSON line.

    python3 tests/probe_data.py --config odoo.conf --database DB

Run by tests/test_probe.py before it starts the multi-process server (which
only sees committed data). In the demo company and in a second company: one
person per level (an internal user without an Agency group, User, Producer,
Billing, Administrator; password = login), each with an employee, a project
managed by the producer, a task, draft entries, a paused timer, a role and a
rate. The scheduled actions are pushed a week ahead, so that the only cron job
that runs is the one the probe triggers. Printed: the logins, the companies,
the tables to watch, the models' company columns and their public methods
(the add-ons' own, by name).
"""

import argparse
import csv
import inspect
import json
import os

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import sql

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "..", "security", "access_matrix.csv")
CRUD = {"create", "write", "unlink", "read", "search_read", "read_group"}


def matrix_models():
    with open(MATRIX, newline="", encoding="utf-8") as handle:
        return sorted(
            {
                row["model"]
                for row in csv.DictReader(handle)
                if not row["model"].startswith("#")
            }
        )


def public_methods(model):
    """The public methods the add-ons define on `model` (CRUD aside)."""
    cls = type(model)
    names = []
    for name in dir(cls):
        if name.startswith("_") or name in CRUD:
            continue
        attr = getattr(cls, name, None)
        if not callable(attr) or isinstance(attr, type):
            continue
        module = getattr(inspect.unwrap(attr), "__module__", "") or ""
        if module.startswith("odoo.addons.agency_") and not getattr(
            attr, "_api_private", False
        ):
            names.append(name)
    return sorted(names)


def build_company(env, company, tag):
    """The people and records of one company; {level: login}."""
    # The levels and their groups, as the add-ons' tests name them (importable
    # once the configuration has set the add-ons path).
    from odoo.addons.agency_timesheet.tests.common import GROUPS

    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    role = env["agency.role"].create(
        {"name": f"Probe {tag} Designer", "code": f"PRB{tag}", "company_id": company.id}
    )
    logins = {}
    users = {}
    for level, group in GROUPS.items():
        login = f"probe_{tag.lower()}_{level}"
        groups = [env.ref("base.group_user").id, env.ref(group).id]
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Probe {tag} {level}",
                    "login": login,
                    "password": login,
                    "email": f"{login}@probe.example.com",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, groups)],
                    "tz": "Europe/Brussels",
                }
            )
        )
        env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "company_id": company.id,
                "role_id": role.id,
            }
        )
        logins[level] = login
        users[level] = user
    project = env["project.project"].create(
        {
            "name": f"Probe {tag} Campaign",
            "company_id": company.id,
            "allow_timesheets": True,
            "privacy_visibility": "employees",
            "user_id": users["producer"].id,
        }
    )
    task = env["project.task"].create(
        {"name": f"Probe {tag} key visual", "project_id": project.id}
    )
    for level in ("user", "producer", "billing"):
        employee = users[level].employee_ids[:1]
        env["account.analytic.line"].create(
            {
                "name": f"Probe {tag} {level} work",
                "employee_id": employee.id,
                "project_id": project.id,
                "task_id": task.id,
                "unit_amount": 2.0,
                "date": "2026-03-02",
            }
        )
        env["agency.timer"].create(
            {
                "user_id": users[level].id,
                "project_id": project.id,
                "task_id": task.id,
                "company_id": company.id,
                "state": "paused",
                "note": f"Probe {tag} private note",
            }
        )
    if "agency.rate" in env:
        env["agency.rate"].create(
            {
                "role_id": role.id,
                "company_id": company.id,
                "bill_rate": 150.0,
                "cost_rate": 60.0,
                "currency_id": company.currency_id.id,
            }
        )
    return logins


def build(env):
    main = env.ref("base.main_company")
    far = env["res.company"].create({"name": "Probe Far Co"})
    logins = {"A": build_company(env, main, "A"), "B": build_company(env, far, "B")}
    env.cr.execute("UPDATE ir_cron SET nextcall = now() + interval '7 days'")
    models = {}
    for name in matrix_models():
        if name not in env:
            continue
        model = env[name]
        company = model._fields.get("company_id")
        kind = sql.table_kind(env.cr, model._table) if not model._abstract else None
        models[name] = {
            "table": model._table,
            "stored_table": kind == sql.TableKind.Regular and not model._transient,
            "company_column": bool(kind and company and company.store),
            "methods": public_methods(model),
            # type, and whether a domain can filter on it (stored, related or
            # with a search method: Odoo ignores a condition on any other).
            "fields": {
                fname: [field.type, bool(field.store or field.related or field.search)]
                for fname, field in model._fields.items()
            },
        }
    cron = env.ref("agency_timesheet.ir_cron_agency_consistency")
    return {
        "companies": {"A": main.id, "B": far.id},
        "logins": logins,
        "models": models,
        "cron": {"id": cron.id, "name": cron.name},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry.new(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        facts = build(env)
        cr.commit()
    print("PROBE-DATA " + json.dumps(facts))


if __name__ == "__main__":
    main()
