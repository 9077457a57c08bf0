"""The technical group that hides stock cost and price fields.

Stock Odoo shows every timesheet user the cost of their time (the entry's
`amount` is -hours × the person's hourly cost) and analytic balances. In an
agency, rates and costs are for Billing and Administrators only: the people
with an Agency role below Billing (Agency User, Producer) must not read them,
while users with no Agency role keep stock Odoo's behaviour.

Odoo's field `groups` lists groups whose members may read a field; Billing
implies Producer implies User, and "not an Agency User unless Billing" is no
group. Odoo's negated groups (``!group``) would say it, but Odoo's own access
error then fails for users with technical features (it looks the ``!`` up as
an external id). So the add-on keeps one technical group, *Agency: sees stock
costs*, holding every user except the Agency Users and Producers who are not
Billing, and the stock cost fields carry ``groups=COSTS_VISIBLE``. Its members
follow every change of users and of their groups; nobody sets them by hand.
"""

from odoo import Command, api, models
from odoo.tools import SQL

from .. import champions, membership

# The `groups` of the stock cost and price fields.
COSTS_VISIBLE = "agency_timesheet.group_agency_costs_visible"
AGENCY_USER = "agency_timesheet.group_agency_user"
AGENCY_BILLING = "agency_timesheet.group_agency_billing"


def touches_groups(vals):
    """Whether a res.users write changes the user's groups."""
    return any(
        name == "groups_id" or name.startswith(("in_group_", "sel_groups_"))
        for name in vals
    )


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model_create_multi
    def create(self, vals_list):
        groups = super().create(vals_list)
        if any("users" in vals or "implied_ids" in vals for vals in vals_list):
            self._agency_sync_costs_visible()
            champions.sync_channels(self.env)
        return groups

    def write(self, vals):
        if "users" not in vals and "implied_ids" not in vals:
            return super().write(vals)
        before = membership.members(self.env)
        result = super().write(vals)
        self._agency_sync_costs_visible()
        membership.log_changes(self.env, before)
        champions.sync_channels(self.env)
        return result

    @api.model
    def _agency_sync_costs_visible(self):
        """Make *Agency: sees stock costs* hold every user but the Agency Users
        and Producers who are not Billing (nothing written when it does)."""
        visible = self.env.ref(COSTS_VISIBLE, raise_if_not_found=False)
        user = self.env.ref(AGENCY_USER, raise_if_not_found=False)
        billing = self.env.ref(AGENCY_BILLING, raise_if_not_found=False)
        if not (visible and user and billing):
            return  # installing: the groups are not all loaded yet
        self.env["res.users"].flush_model(["groups_id"])
        self.flush_model(["users"])
        # SQL: read only, two set differences over the membership table with
        # archived and system users included (no aggregate for _read_group).
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_users
                   EXCEPT (
                       SELECT uid FROM res_groups_users_rel WHERE gid = %(user)s
                       EXCEPT
                       SELECT uid FROM res_groups_users_rel WHERE gid = %(billing)s
                   )""",
                user=user.id,
                billing=billing.id,
            )
        )
        wanted = {uid for (uid,) in rows}
        rows = self.env.execute_query(
            SQL("SELECT uid FROM res_groups_users_rel WHERE gid = %s", visible.id)
        )
        current = {uid for (uid,) in rows}
        if wanted == current:
            return
        commands = [Command.link(uid) for uid in sorted(wanted - current)]
        commands += [Command.unlink(uid) for uid in sorted(current - wanted)]
        # super(): the base write (caches cleared), without syncing again.
        super(ResGroups, visible.sudo()).write({"users": commands})
