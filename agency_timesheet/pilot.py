"""The pilot: who the agency's new habits apply to while the team is brought along.

Agency administrators choose, per company (Settings › Agency › Pilot), either
*Everyone* (the default: nothing changes for an existing install) or a pilot of
teams (departments), people and projects. A person is in the pilot when they are
named or belong to a named department; an entry is in the pilot when its person
is, or its project is named. Reminders, the approval requirement (billing runs
take approved time only), lock dates and the billing check about unapproved time
apply to the pilot only; everyone else keeps stock Odoo's behaviour. Widening the
pilot is one setting: *Everyone*.

One definition, three spellings, all from :func:`pilot_terms`:

- :func:`entry_in_pilot` / :func:`employee_in_pilot`: plain values (tested
  without a database), for records in memory;
- :func:`employee_domain` / :func:`entry_domain`: ORM domains;
- :func:`entry_sql`: an SQL condition on an ``account_analytic_line`` alias, for
  the billing queries.
"""

from collections import namedtuple

from odoo.tools import SQL

EVERYONE = "everyone"
SELECTED = "selected"
SCOPES = [(EVERYONE, "Everyone"), (SELECTED, "Selected teams, people and projects")]

# What an entry's lock depends on (its company's lock date and pilot).
LOCK_DEPENDS = (
    "employee_id.department_id",
    "company_id.agency_timesheet_lock_date",
    "company_id.agency_pilot_scope",
    "company_id.agency_pilot_department_ids",
    "company_id.agency_pilot_employee_ids",
    "company_id.agency_pilot_project_ids",
)

# everyone: company ids where the pilot is everyone (None: all of them);
# the others: the named departments, people and projects of the other companies.
Terms = namedtuple("Terms", "everyone departments employees projects")


def terms_of(scopes):
    """The pilot of companies described as plain values.

    :param scopes: [(company id, scope, department ids, employee ids,
        project ids)]
    """
    everyone = set()
    departments, employees, projects = set(), set(), set()
    for company_id, scope, dept_ids, emp_ids, project_ids in scopes:
        if scope != SELECTED:
            everyone.add(company_id)
            continue
        departments.update(dept_ids)
        employees.update(emp_ids)
        projects.update(project_ids)
    if len(everyone) == len(scopes):
        return Terms(None, frozenset(), frozenset(), frozenset())
    return Terms(
        frozenset(everyone),
        frozenset(departments),
        frozenset(employees),
        frozenset(projects),
    )


def pilot_terms(env):
    """The pilot of every company (read as superuser: the pilot is not a secret
    and everyone's policies depend on it)."""
    companies = env["res.company"].sudo().search([])
    return terms_of(
        [
            (
                company.id,
                company.agency_pilot_scope,
                company.agency_pilot_department_ids.ids,
                company.agency_pilot_employee_ids.ids,
                company.agency_pilot_project_ids.ids,
            )
            for company in companies
        ]
    )


def is_everyone(terms):
    return terms.everyone is None


def employee_in_pilot(terms, company_id, employee_id, department_id):
    """Whether a person is in the pilot (plain ids; False/None for none)."""
    return (
        is_everyone(terms)
        or company_id in terms.everyone
        or employee_id in terms.employees
        or (bool(department_id) and department_id in terms.departments)
    )


def entry_in_pilot(terms, company_id, employee_id, department_id, project_id):
    """Whether a timesheet entry is in the pilot: its person is, or its project
    is named."""
    return employee_in_pilot(terms, company_id, employee_id, department_id) or (
        bool(project_id) and project_id in terms.projects
    )


def _domain(terms, company, employee, department, project=None):
    if is_everyone(terms):
        return []
    parts = [[(company, "in", sorted(terms.everyone))]]
    if terms.employees:
        parts.append([(employee, "in", sorted(terms.employees))])
    if terms.departments:
        parts.append([(department, "in", sorted(terms.departments))])
    if project and terms.projects:
        parts.append([(project, "in", sorted(terms.projects))])
    domain = parts[0]
    for part in parts[1:]:
        domain = ["|", *domain, *part]
    return domain


def employees_domain(terms):
    """Domain on hr.employee: the people in the pilot."""
    return _domain(terms, "company_id", "id", "department_id")


def entries_domain(terms):
    """Domain on account.analytic.line: the entries in the pilot."""
    return _domain(
        terms, "company_id", "employee_id", "employee_id.department_id", "project_id"
    )


def employee_domain(env):
    return employees_domain(pilot_terms(env))


def entry_domain(env):
    return entries_domain(pilot_terms(env))


def entry_sql(env, alias="line"):
    """SQL condition: the entry `alias` (account_analytic_line) is in the pilot."""
    terms = pilot_terms(env)
    if is_everyone(terms):
        return SQL("TRUE")
    table = SQL.identifier(alias)
    return SQL(
        """(%(t)s.company_id = ANY(%(everyone)s)
            OR %(t)s.employee_id = ANY(%(employees)s)
            OR %(t)s.project_id = ANY(%(projects)s)
            OR EXISTS (SELECT 1 FROM hr_employee pilot_employee
                        WHERE pilot_employee.id = %(t)s.employee_id
                          AND pilot_employee.department_id = ANY(%(departments)s)))""",
        t=table,
        everyone=sorted(terms.everyone),
        employees=sorted(terms.employees),
        projects=sorted(terms.projects),
        departments=sorted(terms.departments),
    )


def pilot_employees(employees):
    """The people of `employees` in the pilot."""
    terms = pilot_terms(employees.env)
    if is_everyone(terms):
        return employees
    return employees.filtered(
        lambda emp: employee_in_pilot(
            terms, emp.company_id.id, emp.id, emp.sudo().department_id.id
        )
    )


def pilot_entries(lines):
    """The entries of `lines` in the pilot (in memory: new records too)."""
    terms = pilot_terms(lines.env)
    if is_everyone(terms):
        return lines
    return lines.filtered(
        lambda line: entry_in_pilot(
            terms,
            line.company_id.id,
            line.employee_id.id,
            line.employee_id.sudo().department_id.id,
            line.project_id.id,
        )
    )
