"""Per-client confidentiality of an engagement: only the named people log time
on its projects and see them (record rules in
security/agency_billing_security.xml, Billing and Administrators see all);
entry notes never reach invoice lines, the client's ledger mail or the run's
spreadsheet; their notes are anonymised sooner (the retention purge's
`confidential` kind).

The helpers read through the ORM as the superuser; the models call them.
"""

from dateutil.relativedelta import relativedelta

from odoo.exceptions import ValidationError

from odoo.addons.agency_timesheet.retention import ANONYMISED, Kind

CONFIDENTIAL = Kind(
    "confidential",
    "confidential_retention_months",  # on the engagement, not the company
    "months",
    6,
    1,
    "Entry descriptions of confidential engagements anonymised",
)


def check_named(engagements):
    """Refuse a list of named people of a confidential engagement that leaves
    out someone who already logged time on its projects, naming them."""
    env = engagements.env
    confidential = engagements.filtered("confidential")
    if not confidential:
        return
    nobody = confidential.filtered(lambda e: not e.confidential_user_ids)
    if nobody:
        raise ValidationError(
            env._(
                "Engagement %(engagement)s is confidential but names nobody: name "
                "the people who may log time on and see its projects (Billing and "
                "Administrators always can), or untick Confidential.",
                engagement=nobody[0].display_name,
            )
        )
    Lines = env["account.analytic.line"].sudo()
    people = {}
    for project, users in Lines._read_group(
        [
            ("project_id.agency_engagement_id", "in", confidential.ids),
            ("user_id", "!=", False),
        ],
        ["project_id"],
        ["user_id:recordset"],
    ):
        engagement = project.sudo().agency_engagement_id
        people[engagement] = people.get(engagement, users.browse()) | users
    for engagement, users in people.items():
        missing = users - engagement.confidential_user_ids
        if missing:
            raise ValidationError(
                env._(
                    "Engagement %(engagement)s is confidential, but %(people)s "
                    "already logged time on its projects and are not named. Name "
                    "them, or move their entries to another project first.",
                    engagement=engagement.display_name,
                    people=", ".join(missing.mapped("name")),
                )
            )


def check_entries(lines):
    """Refuse time on a confidential engagement's project by someone not named."""
    for line in lines.sudo():
        project = line.project_id
        if not project.agency_confidential or not line.user_id:
            continue
        if line.user_id not in project.agency_confidential_user_ids:
            raise ValidationError(
                lines.env._(
                    "%(person)s cannot log time on %(project)s: its engagement is "
                    "confidential and names only the people who may work on it. "
                    "Ask Billing to name them on the engagement.",
                    person=line.user_id.name,
                    project=project.display_name,
                )
            )


def targets(env, company, today):
    """The entries of company's confidential engagements whose notes the next
    purge anonymises: dated on or before the lock date and older than the
    engagement's own retention."""
    lock = company.agency_timesheet_lock_date
    Lines = env["account.analytic.line"].sudo().with_context(active_test=False)
    result = Lines
    if not lock:
        return result
    engagements = (
        env["agency.engagement"]
        .sudo()
        .with_context(active_test=False)
        .search([("confidential", "=", True), ("company_id", "=", company.id)])
    )
    for engagement in engagements:
        months = max(CONFIDENTIAL.minimum, engagement.confidential_retention_months)
        # older than the engagement's retention, and in a closed period
        first = min(lock + relativedelta(days=1), today - relativedelta(months=months))
        result |= Lines.search(
            [
                ("project_id.agency_engagement_id", "=", engagement.id),
                ("date", "<", first),
                ("name", "!=", ANONYMISED),
            ]
        )
    return result
