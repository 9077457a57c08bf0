"""Upkeep of the weekly margin facts (agency.margin.week): which keys a change
makes stale, and the pure rules of the weekly grain.

A *bucket* is a week cut at month ends: the days of one ISO week (Monday to
Sunday) that fall in one month, named by its first day. A week's facts then add
up exactly to its week, its month and its year.

A change marks keys *dirty* in ``agency_margin_week_dirty`` in its own
transaction; :meth:`AgencyMarginWeek._agency_refresh` recomputes the facts of
the dirty keys from the margin view (one definition) before any read in a
transaction that can write, and the cron *Margins: refresh weekly facts* does
it every minute for the others (read replicas). A dirty row is one of:

- an entry key: company, bucket, project, person (what an entry's approval,
  rejection, reopening, invoicing, freeing or edit touches);
- a project (project_id only): the project's client or engagement changed;
- an engagement (engagement_id only): its facts other than time (invoice and
  credit note lines, adjustments, re-billed expenses) changed: its invoices,
  billing runs, fee schedule, retainer periods or expenses. Time facts follow
  their entries' keys (an invoice's entries are marked with it).
"""

import datetime

from odoo.tools import SQL

from odoo.addons.agency_billing.models.billing_status import invoiced_sql

DIRTY = "agency_margin_week_dirty"


def bucket_start(day):
    """The first day of day's bucket: its week's Monday, or the first of the
    month when the week started in the month before."""
    monday = day - datetime.timedelta(days=day.weekday())
    return max(monday, day.replace(day=1))


def bucket_end(day):
    """The last day of day's bucket: its week's Sunday, or the month's last
    day when the week runs into the next month."""
    sunday = day + datetime.timedelta(days=6 - day.weekday())
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return min(sunday, next_month - datetime.timedelta(days=1))


def aligned(date_from=None, date_to=None):
    """Whether the weekly facts answer exactly for this period: it starts on a
    bucket's first day and ends on a bucket's last day (a month, a week within
    a month, a year to date ending on a Sunday or a month end; open ends are
    always aligned)."""
    return (date_from is None or bucket_start(date_from) == date_from) and (
        date_to is None or bucket_end(date_to) == date_to
    )


def bucket_sql(day):
    """SQL: the first day of the bucket of the SQL date day."""
    return SQL(
        "GREATEST(date_trunc('week', %(day)s), date_trunc('month', %(day)s))::date",
        day=day,
    )


def create_dirty_table(cr):
    """The table of dirty keys (no model: rows live from a change to the next
    refresh, read only by the upkeep)."""
    cr.execute(
        SQL(
            """CREATE TABLE IF NOT EXISTS %s (
                   company_id int, week date, project_id int,
                   employee_id int, engagement_id int)""",
            SQL.identifier(DIRTY),
        )
    )


def mark_entries(env, ids, only_in_margins=False):
    """Mark the keys of these timesheet entries (by id) dirty, as they are in
    the database now; only_in_margins: only those the margins hold
    (approved or invoiced)."""
    if not ids:
        return
    env.cr.execute(
        SQL(
            """INSERT INTO %(dirty)s (company_id, week, project_id, employee_id)
               SELECT DISTINCT l.company_id, %(bucket)s, l.project_id, l.employee_id
                 FROM account_analytic_line l
                WHERE l.id = ANY(%(ids)s) AND l.project_id IS NOT NULL
                  AND l.employee_id IS NOT NULL AND %(filter)s""",
            dirty=SQL.identifier(DIRTY),
            bucket=bucket_sql(SQL("l.date")),
            ids=list(ids),
            filter=SQL("(l.approval_state = 'approved' OR %s)", invoiced_sql("l"))
            if only_in_margins
            else SQL("TRUE"),
        )
    )


def mark_engagements(env, ids):
    """Mark every fact of these engagements (by id) but their time dirty."""
    _mark(env, "engagement_id", ids)


def mark_projects(env, ids):
    """Mark every fact of these projects (by id) dirty."""
    _mark(env, "project_id", ids)


def _mark(env, column, ids):
    ids = sorted({id_ for id_ in ids if id_})
    if ids:
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT unnest(%s::int[])",
                SQL.identifier(DIRTY),
                SQL.identifier(column),
                ids,
            )
        )


def take_dirty(cr, limit=None):
    """Remove up to limit dirty rows (all without one) and return them as
    (engagement ids, project ids, entry keys [(company, bucket, project,
    person)])."""
    cr.execute(
        SQL(
            """DELETE FROM %(dirty)s
                WHERE ctid IN (SELECT ctid FROM %(dirty)s %(limit)s)
            RETURNING company_id, week, project_id, employee_id, engagement_id""",
            dirty=SQL.identifier(DIRTY),
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )
    )
    engagements, projects, keys = set(), set(), set()
    for company, week, project, employee, engagement in cr.fetchall():
        if engagement:
            engagements.add(engagement)
        elif week is None:
            projects.add(project)
        else:
            keys.add((company, week, project, employee))
    return engagements, projects, sorted(keys)


def dirty_count(cr):
    """How many dirty rows wait for the next refresh."""
    cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(DIRTY)))
    return cr.fetchone()[0]


def stale_sql(alias, day, engagements, projects, keys):
    """SQL: whether the row alias (a margin fact or a weekly fact; day: the SQL
    of its bucket) is one of the dirty keys."""
    conditions = []
    if engagements:
        conditions.append(
            SQL(
                "(%s = ANY(%s) AND %s != 'time')",
                SQL.identifier(alias, "engagement_id"),
                sorted(engagements),
                SQL.identifier(alias, "kind"),
            )
        )
    if projects:
        conditions.append(
            SQL("%s = ANY(%s)", SQL.identifier(alias, "project_id"), sorted(projects))
        )
    if keys:
        companies, weeks, key_projects, people = zip(*keys, strict=True)
        conditions.append(
            SQL(
                """(%(project)s = ANY(%(projects)s)
                    AND %(date)s BETWEEN %(first)s AND %(last)s
                    AND (%(company)s, %(day)s, %(project)s, %(employee)s) IN (
                        SELECT * FROM unnest(
                            %(companies)s::int[], %(weeks)s::date[],
                            %(key_projects)s::int[], %(people)s::int[])))""",
                project=SQL.identifier(alias, "project_id"),
                projects=sorted(set(key_projects)),
                date=SQL.identifier(alias, "date"),
                first=min(weeks),
                last=max(weeks) + datetime.timedelta(days=6),
                company=SQL.identifier(alias, "company_id"),
                day=day,
                employee=SQL.identifier(alias, "employee_id"),
                companies=list(companies),
                weeks=list(weeks),
                key_projects=list(key_projects),
                people=list(people),
            )
        )
    if not conditions:
        return SQL("FALSE")
    return SQL("(%s)", SQL(" OR ").join(conditions))
