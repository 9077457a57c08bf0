"""What makes an engagement's terms valid, and its retainer ledger for the client.

Plain functions of plain values (tested without a database in
tests/test_engagement_rules.py), for agency_engagement.py:

- :func:`terms_error`: the refusal of a fixed fee or retainer whose terms
  cannot bill (no fee, no hours, negative values, no start date, overage at a
  fixed rate of 0), or None;
- :func:`values_error`: the refusal of a rounding increment, rounding method,
  invoice grouping, client or currency a create or write sends that a
  selection would refuse with a bare "wrong value" (imports, RPC), or None;
- :func:`ledger_html`: the retainer's period ledger as an HTML table.

Each takes the translation function ``_`` (``env._``) and returns its words.
"""

from markupsafe import Markup

from .billing_rules import GROUPINGS, INCREMENTS, METHODS


def terms_error(_, name, terms):
    """The refusal of an engagement's terms, or None.

    :param name: the engagement's name, for the message
    :param terms: the engagement, or any object with its ``kind``,
        ``fee_amount``, ``period_fee``, ``included_hours``,
        ``rollover_periods``, ``date_start``, ``overage_rate_kind`` and
        ``overage_rate``
    """
    if terms.kind == "fixed_fee" and terms.fee_amount <= 0:
        return _("Fixed-fee engagement %(name)s needs a fee above 0.", name=name)
    if terms.kind != "retainer":
        return None
    if terms.included_hours <= 0 and terms.period_fee <= 0:
        return _(
            "Retainer %(name)s has neither included hours nor a fee per period: "
            "give it at least one of them.",
            name=name,
        )
    if terms.included_hours < 0 or terms.period_fee < 0:
        return _(
            "Retainer %(name)s: included hours and the fee cannot be negative.",
            name=name,
        )
    if terms.rollover_periods < 0:
        return _(
            "Retainer %(name)s: rollover cannot be %(periods)s periods; use 0 (no "
            "rollover) or more.",
            name=name,
            periods=terms.rollover_periods,
        )
    if not terms.date_start:
        return _(
            "Retainer %(name)s needs a start date: its periods count from it.",
            name=name,
        )
    if terms.overage_rate_kind == "fixed" and terms.overage_rate <= 0:
        return _(
            "Retainer %(name)s bills overage at a fixed rate: enter that rate "
            "(above 0), or price overage at the rate cards.",
            name=name,
        )
    return None


def values_error(_, name, vals):
    """The refusal of the values of a create or write, or None.

    :param name: the engagement's name (of vals, else of the records written)
    :param vals: the values sent
    """
    increment = vals.get("rounding_increment")
    if increment is not None and str(increment) not in map(str, INCREMENTS):
        return _(
            "Engagement %(name)s: %(value)s minutes is not a rounding increment. "
            "Use one of %(allowed)s minutes.",
            name=name,
            value=increment,
            allowed=", ".join(map(str, INCREMENTS)),
        )
    method = vals.get("rounding_method")
    if method is not None and method not in METHODS:
        return _(
            "Engagement %(name)s: rounding %(value)s is unknown. Use up, nearest "
            "or down.",
            name=name,
            value=method,
        )
    minimum = vals.get("rounding_minimum")
    if minimum is not None and not 0 <= (minimum or 0) <= 24 * 60:
        return _(
            "Engagement %(name)s: a minimum of %(value)s minutes per entry is not "
            "possible. Enter 0 (no minimum) up to 1440 minutes.",
            name=name,
            value=minimum,
        )
    scope = vals.get("rounding_scope")
    if scope is not None and scope not in ("entry", "person_day", "line"):
        return _(
            "Engagement %(name)s: rounding scope %(value)s is unknown. Use entry, "
            "person_day or line.",
            name=name,
            value=scope,
        )
    grouping = vals.get("grouping")
    if grouping is not None and grouping not in GROUPINGS:
        return _(
            "Engagement %(name)s: invoice lines %(value)s is unknown. Use one of "
            "%(allowed)s.",
            name=name,
            value=grouping,
            allowed=", ".join(GROUPINGS),
        )
    for key, label in (("partner_id", "client"), ("currency_id", "currency")):
        if key in vals and not vals[key]:
            return _(
                "Engagement %(name)s needs a %(what)s: invoices go to a client, "
                "in a currency.",
                name=name,
                what=label,
            )
    return None


def ledger_html(_, name, included_hours, periods):
    """The retainer's ledger as an HTML table (Markup), for the client.

    :param periods: (label, opening, included, used, rolled over, expired,
        overage, overage billed) per period, in order, hours as floats
    """
    heads = [
        _("Period"),
        _("Opening"),
        _("Included"),
        _("Used"),
        _("Rolled over"),
        _("Expired"),
        _("Overage"),
        _("Overage billed"),
    ]
    cell = 'style="border:1px solid #ccc;padding:4px 8px;text-align:%s"'
    rows = [
        Markup("<tr><td %s>%s</td>%s</tr>")
        % (
            Markup(cell % "left"),
            label,
            Markup("").join(
                Markup("<td %s>%s h</td>") % (Markup(cell % "right"), f"{v:.2f}")
                for v in values
            ),
        )
        for label, *values in periods
    ]
    head = Markup("").join(
        Markup("<th %s>%s</th>") % (Markup(cell % "left"), h) for h in heads
    )
    return Markup(
        "<p>%s</p><table style='border-collapse:collapse'><tr>%s</tr>%s</table>"
    ) % (
        _(
            "Hours of your retainer %(name)s, period by period (%(hours)s h "
            "included per period).",
            name=name,
            hours=f"{included_hours:g}",
        ),
        head,
        Markup("").join(rows),
    )
