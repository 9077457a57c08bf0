"""The activity endpoints' tokens: a new one for a person or a company, kept
encrypted (agency.secret, kind ``integration_token``) and shown once in a
notification that stays until closed (models/res_users.py,
models/res_company.py check who may ask)."""

import secrets

TOKEN_KIND = "integration_token"


def new_token_action(record, scope):
    """Make and store a new token of `record` (scope "person" or "company");
    the notification showing it once, with its endpoint."""
    env = record.env
    token = secrets.token_urlsafe(32)
    env["agency.secret"]._agency_store(record, TOKEN_KIND, token)
    base = env["ir.config_parameter"].sudo().get_param("web.base.url")
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "type": "warning",
            "sticky": True,
            "title": env._("Activity token of %(name)s (shown once)", name=record.name),
            "message": env._(
                "Endpoint: %(base)s/agency/activity/%(scope)s/%(id)s/<source> "
                "(github, gitlab, jira, asana, generic). Token (the GitHub secret, "
                "the GitLab token, or the X-Agency-Token header): %(token)s. Copy "
                "it now: it is kept encrypted and never shown again; a new token "
                "replaces it.",
                base=base,
                scope=scope,
                id=record.id,
                token=token,
            ),
        },
    }
