"""A rate line's scope and dates in words, for its display name and the
"why this rate" explanations: 'Role Art Director for client Acme, from 1 Jan 2026'."""

from odoo.tools.misc import format_date


def describe_rate(line):
    """The scope and dates of one ``agency.rate`` line in words."""
    line.ensure_one()
    _ = line.env._
    person = line.employee_id.name
    role = line.role_id.name
    project = line.project_id.name
    client = line.partner_id.commercial_partner_id.name
    texts = {
        "engagement": _(
            "Engagement %(engagement)s", engagement=line.engagement_id.name
        ),
        "employee_project": _(
            "%(person)s on project %(project)s", person=person, project=project
        ),
        "role_project": _(
            "Role %(role)s on project %(project)s", role=role, project=project
        ),
        "project": _("Project %(project)s", project=project),
        "employee_client": _(
            "%(person)s for client %(client)s", person=person, client=client
        ),
        "role_client": _(
            "Role %(role)s for client %(client)s", role=role, client=client
        ),
        "client": _("Client %(client)s", client=client),
        "employee": person,
        "role": _("Role %(role)s", role=role),
        "company": _("Company default"),
    }
    text = texts.get(line.scope) or _("Incomplete rate line")
    if line.blended:
        text = _("Blended rate · %(scope)s", scope=text)
    dates = describe_range(line.env, line.date_from, line.date_to)
    return f"{text}, {dates}" if dates else text


def describe_range(env, first, last):
    """'from 1 Jan 2026', 'until 31 Mar 2026', '1 Jan 2026 – 31 Mar 2026'."""
    _ = env._
    fmt = "d MMM y"
    if first and last:
        return _(
            "%(first)s – %(last)s",
            first=format_date(env, first, date_format=fmt),
            last=format_date(env, last, date_format=fmt),
        )
    if first:
        return _("from %(day)s", day=format_date(env, first, date_format=fmt))
    if last:
        return _("until %(day)s", day=format_date(env, last, date_format=fmt))
    return ""
