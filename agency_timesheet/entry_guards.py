"""The refusals of timesheet entries: who may change, submit and approve them.

Plain functions over a recordset of timesheet entries (``account.analytic.line``
with a project), called by the entries' CRUD overrides and their one approval
transition (models/account_analytic_line.py), which stay the hooks other
add-ons extend. Each refusal names the entries and the way out:

- :func:`check_write`: a status or a server field written directly, a role
  changed by someone who is not a producer, an approved entry edited, a locked
  one changed (:func:`check_not_approved`, :func:`check_lock_dates`);
- :func:`check_lock_dates`: entries on or before their company's lock date, and
  new ones logged there (administrators pass);
- :func:`check_submitter`, :func:`check_submittable`, :func:`check_approver`:
  who submits, whether a week adds up, who approves.

:func:`first_overlap` (which timer entries overlap) takes plain values and is
tested without a database (tests/test_tools.py).
"""

import itertools

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .pilot import entry_in_pilot, is_everyone, pilot_entries, pilot_terms
from .server_fields import field_labels

PRODUCER = "agency_timesheet.group_agency_producer"
ADMIN = "agency_timesheet.group_agency_admin"
# What the owner may no longer change once an entry is approved.
PROTECTED_FIELDS = {
    "date",
    "unit_amount",
    "project_id",
    "task_id",
    "employee_id",
    "user_id",
    "name",
    "role_id",
}


def is_admin(env):
    """Whether env's user is the superuser or an Agency administrator."""
    return env.su or env.user.has_group(ADMIN)


def check_write(lines, vals, server_fields):
    """Refuse a client's write of vals on the entries `lines`.

    :param server_fields: the names only the server writes
        (``_agency_server_fields()``)
    """
    env = lines.env
    if "approval_state" in vals:
        raise UserError(
            env._(
                "The status of timesheet entries changes only through Submit, "
                "Approve, Reject and Reopen (%(entries)s).",
                entries=lines._agency_describe(),
            )
        )
    server = set(vals) & server_fields
    if server:
        raise UserError(
            env._(
                "%(fields)s of timesheet entries are set by Submit, Approve, "
                "Reject, Reopen and billing runs, never directly (%(entries)s).",
                fields=field_labels(lines, server, technical=True),
                entries=lines._agency_describe(),
            )
        )
    if "role_id" in vals:
        changed = lines.filtered(lambda line: line.role_id.id != vals["role_id"])
        if changed and not env.user.has_group(PRODUCER):
            raise UserError(
                env._(
                    "Only producers can change the role of a timesheet entry "
                    "(%(entries)s). Ask the project's producer to change it.",
                    entries=lines._agency_describe(changed),
                )
            )
    if set(vals) & PROTECTED_FIELDS:
        check_not_approved(lines)
    check_lock_dates(lines, new_date=vals.get("date"))


def check_lock_dates(lines, vals_list=None, new_date=None):
    """Refuse to create (vals_list), change (to new_date) or delete entries
    dated on or before their company's lock date, except for administrators."""
    env = lines.env
    if is_admin(env):
        return
    locked = lines.filtered("agency_locked")
    if new_date:
        new_date = fields.Date.to_date(new_date)
        locked |= pilot_entries(lines).filtered(
            lambda line: (
                line.company_id.agency_timesheet_lock_date
                and new_date <= line.company_id.agency_timesheet_lock_date
            )
        )
    if locked:
        raise UserError(
            env._(
                "These entries are dated on or before the timesheet lock date "
                "(%(lock)s) and can no longer change: %(entries)s. Ask an Agency "
                "administrator if a correction is really needed.",
                lock=locked[0].company_id.agency_timesheet_lock_date,
                entries=locked._agency_describe(),
            )
        )
    terms = pilot_terms(env) if vals_list else None
    for vals in vals_list or ():
        if not (vals.get("project_id") or vals.get("task_id")):
            continue
        if not is_everyone(terms) and not _new_entry_in_pilot(env, terms, vals):
            continue  # outside the pilot: stock behaviour, no lock date
        company = (
            env["res.company"].browse(vals["company_id"])
            if vals.get("company_id")
            else env.company
        )
        lock = company.agency_timesheet_lock_date
        day = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(lines)
        if lock and day <= lock:
            raise UserError(
                env._(
                    "No time can be logged on %(day)s: the timesheet lock date of "
                    "%(company)s is %(lock)s. Log it on a later date or ask an "
                    "Agency administrator.",
                    day=day,
                    company=company.name,
                    lock=lock,
                )
            )


def _new_entry_in_pilot(env, terms, vals):
    """Whether an entry about to be created from vals is in the pilot."""
    employee = env["hr.employee"].sudo()
    if vals.get("employee_id"):
        employee = employee.browse(vals["employee_id"])
    else:
        user_id = vals.get("user_id") or env.uid
        employee = employee.search(
            [("user_id", "=", user_id), ("company_id", "in", env.companies.ids)],
            limit=1,
        )
    project_id = vals.get("project_id")
    if not project_id and vals.get("task_id"):
        project_id = env["project.task"].sudo().browse(vals["task_id"]).project_id.id
    company_id = vals.get("company_id") or employee.company_id.id or env.company.id
    return entry_in_pilot(
        terms, company_id, employee.id, employee.department_id.id, project_id
    )


def check_not_approved(lines):
    """Approved entries are read-only, except to Agency administrators."""
    env = lines.env
    if env.user.has_group(ADMIN):
        return
    approved = lines.filtered(lambda line: line.approval_state == "approved")
    if approved:
        raise UserError(
            env._(
                "Approved entries are read-only (%(entries)s). A producer can "
                "reopen them, with a reason, if they need to change.",
                entries=approved._agency_describe(),
            )
        )


def check_submitter(lines):
    """People submit their own entries; producers anyone's (on their behalf,
    recorded as the submitter)."""
    env = lines.env
    others = lines.filtered(lambda line: line.user_id != env.user)
    if others and not env.user.has_group(PRODUCER):
        raise UserError(
            env._(
                "You can only submit your own entries (%(entries)s).",
                entries=others._agency_describe(),
            )
        )


def first_overlap(timers):
    """The first two timers of one person that overlap, or None.

    :param timers: (person, started, stopped, what) tuples, in the order they
        started
    :return: (what of the earlier, what of the later) or None
    """
    by_person = {}
    for person, started, stopped, what in timers:
        by_person.setdefault(person, []).append((started, stopped, what))
    for runs in by_person.values():
        for previous, current in itertools.pairwise(runs):
            if current[0] < previous[1]:
                return previous[2], current[2]
    return None


def check_submittable(lines):
    """A week goes to the approver only when its days add up: no day over 24
    hours (checked on every save too) and no two timer entries overlapping."""
    env = lines.env
    timers = (
        env["agency.timer"]
        .sudo()
        .search(
            [("line_id", "in", lines.ids), ("stopped_at", "!=", False)],
            order="started_at",
        )
    )
    overlap = first_overlap(
        (timer.user_id.id, timer.started_at, timer.stopped_at, timer.line_id)
        for timer in timers
    )
    if overlap:
        first, second = overlap
        raise UserError(
            env._(
                "Two timer entries overlap: %(first)s and %(second)s. "
                "Correct one of them before submitting.",
                first=first._agency_describe(),
                second=second._agency_describe(),
            )
        )


def check_companies(lines):
    """No transition on entries of a company the caller is not in: refused as
    reading them would be (AccessError). Within their companies the refusals
    below say who may, in words."""
    env = lines.env
    if env.su:
        return
    foreign = lines.sudo().filtered(
        lambda line: line.company_id and line.company_id not in env.user.company_ids
    )
    if foreign:
        foreign.sudo(False).check_access("read")
        raise AccessError(
            env._(
                "%(count)s of these entries belong to a company you are not in: "
                "someone of that company does this.",
                count=len(foreign),
            )
        )


def check_approver(lines):
    """Approvers: the entry's approver, and Agency administrators; nobody
    approves their own time unless the company allows it."""
    env = lines.env
    user = env.user
    if env.su:
        return
    lines = lines.sudo()  # read what is needed to explain a refusal
    if not user.has_group(PRODUCER):
        raise UserError(env._("Only producers and administrators approve timesheets."))
    own = lines.filtered(lambda line: line.user_id == user)
    if own and not all(own.company_id.mapped("agency_allow_self_approval")):
        raise UserError(
            env._(
                "Nobody approves their own time (%(entries)s). Ask the project's "
                "producer or an administrator.",
                entries=own._agency_describe(),
            )
        )
    if user.has_group(ADMIN):
        return
    not_mine = lines.filtered(lambda line: line.approver_id != user) - own
    if not_mine:
        raise UserError(
            env._(
                "You are not the approver of %(entries)s: entries are approved by "
                "their project's producer (else the person's timesheet approver).",
                entries=not_mine._agency_describe(),
            )
        )
