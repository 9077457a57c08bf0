"""An entry's price in words (its *Why This Rate*, :func:`rate_reasons`) and
the engagement terms the price goes through after its rate line, multiplier
and rounding (issue 19): the discount of its invoice and the contract
exchange rate that converts it, for many entries at once (the entry's "why
this rate", the raw-vs-billed list and the run's XLSX)."""

from odoo.tools.misc import format_date

from .contract_rates import rate_on
from .discounts import discount_label


def discount_note(engagement):
    """'Discount 10 % (own invoice line)', 'Volume discount 5 % above 200 h ·
    8 % above 400 h (per invoice, own line)' or ''."""
    engagement = engagement.sudo()
    env = engagement.env
    if engagement.discount_percent:
        return env._(
            "%(discount)s (own invoice line)",
            discount=discount_label(engagement.discount_percent),
        )
    tiers = engagement.discount_tier_ids
    if not tiers:
        return ""
    symbol = engagement.currency_id.symbol
    texts = [
        discount_label(t.percent, t.threshold, engagement.discount_basis, symbol)
        for t in tiers
    ]
    first, *others = texts
    others = [text.replace("Volume discount ", "") for text in others]
    if engagement.discount_period == "month":
        return env._(
            "%(tiers)s (per calendar month, own line)",
            tiers=" · ".join([first, *others]),
        )
    return env._(
        "%(tiers)s (per invoice, own line)", tiers=" · ".join([first, *others])
    )


def fx_note(engagement, source_currency, day):
    """'GBP → EUR at the contract rate 1.17 (1 Jan 2026 – 31 Dec 2026)' when a
    contract rate converts source_currency on day, else ''."""
    engagement = engagement.sudo()
    if not source_currency or source_currency == engagement.currency_id:
        return ""
    period = rate_on(
        engagement.contract_rate_ids._agency_plain(), source_currency.id, day
    )
    if not period:
        return ""
    env = engagement.env
    return env._(
        "%(origin)s → %(target)s at the contract rate %(rate)s (%(start)s – %(end)s)",
        origin=source_currency.name,
        target=engagement.currency_id.name,
        rate=f"{period.rate:g}",
        start=format_date(env, period.date_from),
        end=format_date(env, period.date_to),
    )


def terms_notes(lines):
    """{entry id: (discount note, contract rate note)} of timesheet entries:
    the contract rate of the invoice date once invoiced, else of the entry's
    date."""
    lines = lines.sudo()
    notes = {}
    discounts = {}
    for line in lines:
        engagement = line.project_id.agency_engagement_id
        if not engagement:
            notes[line.id] = ("", "")
            continue
        if engagement not in discounts:
            discounts[engagement] = discount_note(engagement)
        move = line.agency_invoice_line_id.move_id
        day = (move.state != "cancel" and move.invoice_date) or line.date
        notes[line.id] = (
            discounts[engagement],
            fx_note(engagement, line.agency_rate_currency_id, day) if day else "",
        )
    return notes


def rate_reasons(lines):
    """{entry id: its Why This Rate}: the rate line that prices it and every
    rule that touched its price (multiplier, rounding, discount, contract
    rate), or why no line does."""
    env = lines.env
    _ = env._
    reasons = {}
    for line in lines:
        state = line.agency_rate_state
        project = line.project_id.sudo()
        if state == "priced":
            reasons[line.id] = " · ".join(
                filter(None, [line.agency_rate_id.sudo().display_name,
                              line.agency_multiplier_label,
                              line.agency_rounding_note,
                              line.agency_discount_note, line.agency_fx_note])
            )  # fmt: skip
        elif state == "missing":
            reasons[line.id] = _(
                "No rate line applies to %(who)s on %(project)s (%(client)s) on "
                "%(day)s. Add one in Agency › Billing › Rate Lines.",
                who=line._agency_who(),
                project=project.name,
                client=project.partner_id.commercial_partner_id.name,
                day=format_date(env, line.date, date_format="d MMM y"),
            )
        elif state == "internal":
            reasons[line.id] = _(
                "Not billed: project %(project)s has no customer.",
                project=project.name,
            )
        else:
            reasons[line.id] = False
    return reasons
