"""Billed hours of the entries a billing run collects, under each engagement's
rounding scope, minimum per entry and per-task overrides (the rules in words:
``rounding_scopes``). Called by ``agency.billing.run._agency_collect``; reads
the engagements' overrides and the tasks' tags through the ORM (one query
each), the rest is plain arithmetic.
"""

from .rounding_scopes import Rule, billed_hours, explain


def plain(engagement):
    """Whether the engagement rounds each entry alone, with no minimum and no
    override: the fast path (durations repeat, one rounding each)."""
    return (
        engagement.rounding_scope == "entry"
        and not engagement.rounding_minimum
        and not engagement.rounding_override_ids
    )


def line_key(grouping, row):
    """The invoice line an entry will be on (``billing_rules.invoice_groups``
    groups by the grouping's value and the price), from a collect row."""
    value = {
        "project": row["project_id"],
        "task": (row["project_id"], row["task_id"]),
        "role": row["role_id"],
        "employee": row["employee_id"],
        "entry": row["id"],
    }[grouping]
    return (value, row["bill_rate"] or 0.0, row["currency_id"], row.get("multiplier"))


def override_rules(engagement, task_ids):
    """{task id: Rule} for the tasks an override of the engagement names,
    directly or through one of their tags (a task's own override first)."""
    overrides = engagement.rounding_override_ids
    if not overrides:
        return {}
    tasks = engagement.env["project.task"].sudo().browse(task_ids)
    by_task = {o.task_id.id: o for o in overrides if o.task_id}
    by_tag = {}
    for override in overrides.filtered(lambda o: o.tag_id).sorted("id"):
        by_tag.setdefault(override.tag_id.id, override)
    rules = {}
    for task in tasks:
        override = by_task.get(task.id) or next(
            (by_tag[t.id] for t in task.tag_ids if t.id in by_tag), None
        )
        if override:
            rules[task.id] = Rule(
                int(override.increment), override.method, override._agency_source()
            )
    return rules


def round_rows(engagements, rows, digits):
    """{entry id: (billed hours Decimal, rounding note)} for the collect rows
    (dicts: id, engagement_id, raw, bill_rate, currency_id, employee_id,
    task_id, project_id, role_id, date), by engagement."""
    by_engagement = {}
    for row in rows:
        by_engagement.setdefault(row["engagement_id"], []).append(row)
    result = {}
    for engagement in engagements:
        mine = by_engagement.get(engagement.id)
        if not mine:
            continue
        rule = Rule(int(engagement.rounding_increment), engagement.rounding_method)
        if plain(engagement):
            cache = {}
            for row in mine:
                raw = row["raw"] or 0.0
                if raw not in cache:
                    hours, where = billed_hours(
                        [{"id": 0, "raw_hours": raw}], "entry", rule, 0, digits
                    )
                    cache[raw] = (hours[0], explain(where[0], hours[0]))
                result[row["id"]] = cache[raw]
            continue
        rules = override_rules(engagement, {r["task_id"] for r in mine if r["task_id"]})
        facts = [
            {
                "id": row["id"],
                "raw_hours": row["raw"] or 0.0,
                "employee": row["employee_id"],
                "task": row["task_id"],
                "project": row["project_id"],
                "date": row["date"],
                "line": line_key(engagement.grouping, row),
                "rule": rules.get(row["task_id"]),
            }
            for row in sorted(mine, key=lambda r: (r["date"], r["id"]))
        ]
        minimum = engagement.rounding_minimum
        hours, where = billed_hours(
            facts, engagement.rounding_scope, rule, minimum, digits
        )
        for fact in facts:
            id_ = fact["id"]
            result[id_] = (
                hours[id_],
                explain(where[id_], hours[id_], minimum, fact["raw_hours"]),
            )
    return result
