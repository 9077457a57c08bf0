"""The billing conveyor's bulk statements on timesheet entries, in one place.

Each is SQL for a reason its docstring says (a bulk UPDATE of a whole batch
where write() would send one per hundred records or per invoice line, or a row
lock the ORM cannot take), and each tells the ORM what it wrote, or says which
caller does:

- :func:`store_prices` (:func:`store_price` per price): prices and their
  amounts on the entries re-priced (account_analytic_line.py
  ``_agency_reprice``);
- :func:`set_rate_frozen`: whether their price is frozen (approval, release);
- :func:`free`: entries let go by their invoice or their run (credit note,
  cancelled invoice or run);
- :func:`lock_to_invoice` and :func:`link_to_invoice`: the entries a run line
  invoices, locked, then linked to the invoice's lines
  (agency_billing_run_line.py).

How an SQL write is told to the ORM is :func:`sql_written` (the entries'
``_agency_sql_written``). The billing status in SQL is
:func:`.billing_status.not_invoiced_sql`'s.
"""

from odoo.tools import SQL

from .billing_status import not_invoiced_sql
from .pricing import PRICE_FIELDS


def sql_written(lines, values, also=()):
    """Tell the ORM what an UPDATE in SQL just wrote on the entries of lines,
    as write() does after its own: the cache holds the new values (and no
    stale x2many of their inverses, e.g. an invoice's timesheet_ids), and the
    fields that depend on them are recomputed (stored ones, such as stock's
    partner_id and project_id of timesheets, which follow
    timesheet_invoice_id) or invalidated (computed ones, such as an invoice's
    timesheet_total_duration or an entry's rounding difference). The caller
    calls ``modified(fnames, before=True)`` before its UPDATE when the old
    values have dependents too (a relational field that changes from one
    record to another).

    :param values: {field name: the value now in every row of lines (None for
        NULL), or a list of values in the order of lines}: the values are
        known, so nothing is read back
    :param also: more fields the UPDATE wrote, whose values are read back when
        needed
    """
    fnames = [*values, *also]
    lines.invalidate_recordset(fnames, flush=False)
    cache = lines.env.cache
    for fname, value in values.items():
        field = lines._fields[fname]
        row_values = value if isinstance(value, list) else [value] * len(lines)
        cache.update(
            lines, field, [field.convert_to_cache(v, lines) for v in row_values]
        )
    lines.modified(fnames)


def store_prices(lines, by_price):
    """Store each Price of by_price ({Price: entry ids}) on its entries, all
    of them in lines, with one UPDATE per price (:func:`store_price`), told to
    the ORM as write() would (the reasons in words follow); the amounts are
    the UPDATE's own: nothing to recompute."""
    for price, line_ids in by_price.items():
        store_price(lines.env, price, line_ids)
    fnames = [*PRICE_FIELDS.values(), "agency_amount", "agency_cost"]
    lines.invalidate_recordset(fnames, flush=False)
    lines.modified(fnames)
    for fname in ("agency_amount", "agency_cost"):
        lines.env.remove_to_compute(lines._fields[fname], lines)


def store_price(env, price, line_ids):
    """One UPDATE: the Price on the entries of line_ids, and their amounts
    (hours × rates) rounded in each currency as res.currency.round does. The
    caller invalidates the entries and calls modified()."""
    rounding = env["res.currency"].browse(price.currency_id).rounding
    env.execute_query(
        SQL(
            """UPDATE account_analytic_line line
                  SET agency_rate_state = %(state)s,
                      agency_rate_id = %(rate)s,
                      agency_bill_rate = %(bill)s,
                      agency_rate_currency_id = %(currency)s,
                      agency_cost_rate = %(cost)s,
                      agency_cost_source = %(source)s,
                      agency_amount = CASE WHEN %(rounding)s > 0
                          THEN round((line.unit_amount * %(bill)s
                                      / %(rounding)s)::numeric) * %(rounding)s
                          ELSE line.unit_amount * %(bill)s END,
                      agency_cost = round((line.unit_amount * %(cost)s
                                           / company.rounding)::numeric)
                                    * company.rounding
                 FROM res_currency company
                WHERE company.id = line.currency_id AND line.id = ANY(%(ids)s)""",
            state=price.state or None,
            rate=price.rate_id or None,
            bill=price.bill_rate,
            currency=price.currency_id or None,
            cost=price.cost_rate,
            source=price.cost_source or None,
            rounding=rounding or 0.0,
            ids=line_ids,
        )
    )


def set_rate_frozen(lines, frozen):
    """Set the entries' agency_rate_frozen with one query whatever their
    number (the ORM would send one UPDATE per hundred records), told to the
    ORM right after (invalidate, modified)."""
    lines.env.execute_query(
        SQL(
            "UPDATE account_analytic_line SET agency_rate_frozen = %s "
            "WHERE id = ANY(%s)",
            frozen,
            lines.ids,
        )
    )
    lines.invalidate_recordset(["agency_rate_frozen"])
    lines.modified(["agency_rate_frozen"])


def free(lines, keep_run=False):
    """Unlink the entries from their invoice (and their run, unless
    keep_run): one bulk UPDATE for any number of entries, told to the ORM as
    write() would, before and after (``_agency_sql_written``)."""
    fnames = ["agency_invoice_line_id", "agency_run_id", "timesheet_invoice_id"]
    lines.flush_recordset(fnames)
    lines.modified(fnames, before=True)
    lines.env.cr.execute(
        SQL(
            """
            UPDATE account_analytic_line
               SET agency_invoice_line_id = NULL,
                   agency_run_id = CASE WHEN %s THEN agency_run_id END,
                   timesheet_invoice_id = NULL
             WHERE id = ANY(%s)
            """,
            bool(keep_run),
            lines.ids,
        )
    )
    freed = {"agency_invoice_line_id": None, "timesheet_invoice_id": None}
    if not keep_run:
        freed["agency_run_id"] = None
    lines._agency_sql_written(freed)


def lock_to_invoice(env, entry_ids, run_id):
    """Lock and read the entries among entry_ids that are still in the run
    and not invoiced yet, in one query: rows of dicts, by date.

    NOWAIT: a concurrent run invoicing them makes this fail at once rather
    than bill them twice after waiting. NO KEY UPDATE, the lock the UPDATE that
    links them takes anyway: rows that only refer to the entries (check
    entries, audit rows) need not wait. The rows are found by id and the run
    is re-checked on them: a filter on the run would be planned from
    statistics that, right after collect, still say that no entry is in a run
    (a scan of the run's entries for each engagement)."""
    env["account.analytic.line"].flush_model()
    env["account.move"].flush_model(["state"])
    env.cr.execute(
        SQL(
            """
            SELECT line.id, line.project_id, line.task_id, line.role_id,
                   line.employee_id, line.date, line.name,
                   line.agency_billed_hours, line.agency_bill_rate,
                   line.agency_rate_currency_id, line.agency_multiplier,
                   line.agency_multiplier_label
              FROM account_analytic_line line
             WHERE line.id = ANY(%s)
               AND coalesce(line.agency_run_id, 0) = %s
               AND %s
          ORDER BY line.date, line.id
               FOR NO KEY UPDATE OF line NOWAIT
            """,
            list(entry_ids),
            run_id,
            not_invoiced_sql("line"),
        )
    )
    return env.cr.dictfetchall()


def link_to_invoice(env, move, ids, line_ids):
    """Link the entries of ids to the invoice lines of line_ids (in the same
    order) of invoice move; return how many were linked (the caller refuses
    fewer than ids: another run invoiced some meanwhile).

    One bulk UPDATE for all the entries of the invoice (write() would send one
    per invoice line), of rows locked by :func:`lock_to_invoice` and still not
    invoiced. They were on no invoice (or, invoiced by stock, on a cancelled
    one, whose computed totals nobody reads): no old invoice to tell, no
    modified(before=True); the new values are told to the ORM here when all
    were linked."""
    env.cr.execute(
        SQL(
            """
            UPDATE account_analytic_line line
               SET agency_invoice_line_id = v.invoice_line,
                   timesheet_invoice_id = %(move)s
              FROM unnest(%(ids)s::int[], %(lines)s::int[])
                   AS v(id, invoice_line)
             WHERE line.id = v.id AND %(not_invoiced)s
            """,
            move=move.id,
            ids=ids,
            lines=line_ids,
            not_invoiced=not_invoiced_sql("line"),
        )
    )
    linked = env.cr.rowcount
    if linked == len(ids):
        env["account.analytic.line"].sudo().browse(ids)._agency_sql_written(
            {"agency_invoice_line_id": line_ids, "timesheet_invoice_id": move.id}
        )
    return linked
