"""Status changes in the audit log, one row per batch (issue 17).

An approve, reject or reopen of N entries writes, by default, ONE audit row per
company of the entries (operation ``state``): the old states in words
(:func:`states_summary`), the new state, the reason, the number of entries
(``record_count``) and their ids. A company that turns on *Per-entry audit
detail* (``res.company.agency_audit_per_entry``, Agency Administrators only)
gets today's one row per entry instead.

The ids sit in a plain PostgreSQL ``int[]`` column, ``batch_line_ids``, that
:meth:`AgencyAudit.init` adds with a GIN index (:data:`COLUMN_SQL`): one row
whatever the batch (4 bytes an id, compressed out of line by PostgreSQL for
big batches), found again by ``&&`` (overlap) through the index when an
entry's history is asked (:func:`rows_touching`). Not a many2many table (that
is one row per entry again, the cost this avoids) and not JSON or text (no
index-backed containment on integers). No foreign key: an entry deleted later
keeps its id in the row (the history of what was approved stays), and the
append-only trigger never has to let an UPDATE through for it; readers keep
the ids that still exist (:func:`batch_ids`).
"""

from collections import Counter

from odoo.tools import SQL

COLUMN_SQL = """
ALTER TABLE agency_audit ADD COLUMN IF NOT EXISTS batch_line_ids int[];
CREATE INDEX IF NOT EXISTS agency_audit_batch_line_ids_gin
    ON agency_audit USING gin (batch_line_ids);
"""


def states_summary(old_states):
    """The old states of a batch in one text: the state when they all had the
    same ('submitted'), else each state with its count ('draft: 2,
    submitted: 1'). Empty batch: False."""
    counts = Counter(old_states)
    if not counts:
        return False
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{state}: {count:,}" for state, count in sorted(counts.items()))


def insert_batches(env, batches, new_state, label, reason):
    """Append one status row per batch, in one INSERT.

    :param batches: [(company id, [entry ids], [old states], record name)]
    """
    if not batches:
        return
    # SQL: the ids go to the int[] column the ORM does not know (COLUMN_SQL);
    # one INSERT for all the batches. No field of another record depends on
    # audit rows: nothing to mark modified, and no cache holds them yet.
    values = SQL(", ").join(
        SQL(
            "(%(company)s, %(res_id)s, %(name)s, %(count)s, %(ids)s::int[], %(old)s)",
            company=company_id,
            res_id=min(ids),
            name=name,
            count=len(ids),
            ids=sorted(ids),
            old=states_summary(olds),
        )
        for company_id, ids, olds, name in batches
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO agency_audit
                (create_date, create_uid, write_date, write_uid, user_id,
                 company_id, res_model, res_id, res_name, record_count,
                 batch_line_ids, operation, field_name, field_label, old_value,
                 new_value, reason)
            SELECT now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC',
                   %(uid)s, %(uid)s, batch.company_id, 'account.analytic.line',
                   batch.res_id, batch.name, batch.count, batch.ids, 'state',
                   'approval_state', %(label)s, batch.old, %(new)s, %(reason)s
              FROM (VALUES %(values)s)
                   AS batch(company_id, res_id, name, count, ids, old)
            """,
            uid=env.uid,
            label=label,
            new=new_state,
            reason=reason,
            values=values,
        )
    )


def batch_ids(env, row_ids):
    """{audit row id: [ids of the row's batch entries that still exist]} of
    the batch rows among row_ids (per-entry rows are not in it)."""
    if not row_ids:
        return {}
    env.cr.execute(
        SQL(
            """
            SELECT audit.id, array_agg(line.id ORDER BY line.id)
              FROM agency_audit audit
             CROSS JOIN unnest(audit.batch_line_ids) AS entry(id)
              JOIN account_analytic_line line ON line.id = entry.id
             WHERE audit.id = ANY(%s)
             GROUP BY audit.id
            """,
            list(row_ids),
        )
    )
    found = dict(env.cr.fetchall())
    env.cr.execute(
        SQL(
            "SELECT id FROM agency_audit WHERE id = ANY(%s)"
            " AND batch_line_ids IS NOT NULL",
            list(row_ids),
        )
    )
    return {row_id: found.get(row_id, []) for (row_id,) in env.cr.fetchall()}


def rows_touching(entry_ids):
    """SQL subselect of the audit rows about any of entry_ids: their own row
    (line_id) or a batch row that holds them (through the GIN index)."""
    ids = sorted({int(entry_id) for entry_id in entry_ids})
    return SQL(
        "(SELECT id FROM agency_audit WHERE line_id = ANY(%s)"
        " OR batch_line_ids && %s::int[])",
        ids,
        ids,
    )
