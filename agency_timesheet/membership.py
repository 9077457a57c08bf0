"""Who is in the Billing and Administrator groups, and the audit of its changes.

Every change of their members (a user's groups written, a group's users
written, a user created) writes one audit row per group changed, with who was
added and removed; adding someone to Billing also notifies the
Administrators in their Odoo inbox (they learn who can now read rates).
"""

from markupsafe import Markup

from odoo.tools import SQL

AGENCY_BILLING = "agency_timesheet.group_agency_billing"
AGENCY_ADMIN = "agency_timesheet.group_agency_admin"
WATCHED = (AGENCY_BILLING, AGENCY_ADMIN)


def members(env):
    """{group record: set of user ids} of the watched groups (implied
    memberships included: Odoo stores them in the same table)."""
    groups = [env.ref(xmlid, raise_if_not_found=False) for xmlid in WATCHED]
    groups = [group for group in groups if group]
    if not groups:
        return {}
    env["res.users"].flush_model(["groups_id"])
    env["res.groups"].flush_model(["users"])
    # SQL: read only, the membership table with archived users (no ORM read
    # of the relation for many groups at once without loading every user).
    rows = env.execute_query(
        SQL(
            "SELECT gid, uid FROM res_groups_users_rel WHERE gid = ANY(%s)",
            [group.id for group in groups],
        )
    )
    result = {group: set() for group in groups}
    by_id = {group.id: group for group in groups}
    for gid, uid in rows:
        result[by_id[gid]].add(uid)
    return result


def log_changes(env, before):
    """Audit (and, for Billing, notify) the changes since `before` (members())."""
    if not before:
        return
    after = members(env)
    Users = env["res.users"].sudo().with_context(active_test=False)
    for group, old in before.items():
        new = after.get(group, set())
        added, removed = (
            Users.browse(sorted(new - old)),
            Users.browse(sorted(old - new)),
        )
        if not (added or removed):
            continue
        changed = added | removed
        env["agency.audit"]._log_operation(
            "membership",
            group,
            before=", ".join(removed.mapped("name"))
            and env._("removed: %s", ", ".join(removed.mapped("name"))),
            after=", ".join(added.mapped("name"))
            and env._("added: %s", ", ".join(added.mapped("name"))),
            subject=changed if len(changed) == 1 else None,
            field_name="users",
        )
        if added and group == env.ref(AGENCY_BILLING, raise_if_not_found=False):
            notify_admins(env, added, after)


def notify_admins(env, added, after):
    """Tell the Administrators (in their inbox) who now reads rates."""
    admin = env.ref(AGENCY_ADMIN, raise_if_not_found=False)
    if not admin:
        return  # installing: the Administrators group is not loaded yet
    admins = env["res.users"].sudo().browse(sorted(after.get(admin, set())))
    partners = (admins - added).filtered("active").partner_id
    if not partners:
        return
    names = ", ".join(added.mapped("name"))
    env["mail.thread"].sudo().message_notify(
        partner_ids=partners.ids,
        subject=env._("Agency: %s added to Billing", names),
        body=Markup("<p>%s</p>")
        % env._(
            "%(names)s can now read bill rates, cost rates, margins and forecasts "
            "(added by %(who)s). See Agency › Configuration › Rate Visibility.",
            names=names,
            who=env.user.name,
        ),
        model="res.users",
        res_id=added[:1].id,
    )
