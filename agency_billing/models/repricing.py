"""Storing prices on timesheet entries: re-pricing, freezing, releasing.

Until an entry is approved (or invoiced) its stored price follows the rate
cards; approval freezes it; an approved entry sent back (rejected, reopened)
follows the cards again; a re-rate changes a frozen price on purpose. These
plain functions over entries do it for any number of them with a fixed number
of queries, for the entries' hooks and CRUD overrides (account_analytic_line.py
``_agency_reprice``, ``_agency_freeze_rates``, ``_agency_release_rates``), the
rate cards and the re-rate wizard:

- :func:`reprice`: the cards' price now, stored where it differs;
- :func:`price_unfrozen` and :func:`freeze`: priced, then frozen (approval);
- :func:`frozen_approved` and :func:`release`: the approved entries whose price
  is frozen, and letting it follow the cards again, in the audit log
  (:func:`log_rerate`, the prices in words).

The price itself is the pricing engine's (pricing.py); the bulk UPDATEs are
entry_sql.py's.
"""

from .billing_status import NOT_INVOICED_DOMAIN
from .entry_sql import set_rate_frozen, store_prices
from .pricing import PRICE_FIELDS, ids_by_price, price_changes, price_text


def reprice(entries, force=False, as_user=False):
    """Store the current cards' price on the entries whose price differs;
    frozen entries only when force is set (a re-rate).

    As the system (after a rate card changed, on approval), the prices and
    amounts are written with one UPDATE per distinct new price, whatever the
    number of entries; with as_user (a re-rate), through write() as the
    current user, so that their rights and the entries' locks apply.

    :return: {entry id: (old Price, new Price)} for the entries changed
    """
    lines = entries.sudo()
    changed = {}
    for batch in lines._agency_quote_rates():
        changed.update(price_changes(batch, force=force))
    by_price = ids_by_price({line_id: new for line_id, (_old, new) in changed.items()})
    if as_user:
        # Prices are no client's to write: the user's rights on the entries
        # and their lock dates are checked here, then the server writes them.
        mine = entries.browse(list(changed))
        mine.check_access("write")
        mine._agency_check_lock_dates()
        for price, line_ids in by_price.items():
            lines.browse(line_ids).write(
                {PRICE_FIELDS[key]: value for key, value in price._asdict().items()}
            )
    elif by_price:
        # SQL: one UPDATE per distinct new price (entry_sql.store_prices).
        store_prices(lines.browse(list(changed)), by_price)
    return changed


def price_unfrozen(entries):
    """Price the timesheet entries among entries whose price is not frozen
    with the cards as they are now, stored; return them."""
    ids = [i for i in entries.ids if i]
    if not ids:
        return entries.browse()
    lines = entries.sudo().search(
        [
            ("id", "in", ids),
            ("project_id", "!=", False),
            ("agency_rate_frozen", "=", False),
        ]
    )
    if lines:
        reprice(lines)
        lines.flush_recordset()
    return lines


def freeze(entries):
    """Freeze the price of the entries (approved or invoiced): price them with
    the cards as they are now, then leave them alone. The number of queries
    does not grow with the number of entries."""
    lines = price_unfrozen(entries)
    if lines:
        set_rate_frozen(lines, True)


def frozen_approved(entries):
    """The approved entries among entries whose price is frozen and which are
    not invoiced (one query)."""
    if not entries.ids:
        return entries.browse()
    return entries.sudo().search(
        [
            ("id", "in", entries.ids),
            ("approval_state", "=", "approved"),
            ("agency_rate_frozen", "=", True),
            *NOT_INVOICED_DOMAIN,
        ]
    )


def release(entries):
    """Approved entries sent back (reopened, rejected): their price follows the
    cards again until they are approved anew. A price that changes by it is
    written in the audit log."""
    lines = entries.sudo()
    lines.flush_recordset()
    set_rate_frozen(lines, False)
    changed = reprice(lines)
    if changed:
        log_rerate(
            entries,
            changed,
            entries.env._(
                "Sent back after approval: the price follows the current rate "
                "cards again."
            ),
        )


def log_rerate(entries, changed, reason):
    """One 'rerate' audit row per entry whose price changed, prices in words.

    :param entries: any recordset of entries (its environment logs)
    :param changed: {entry id: (old Price, new Price)}
    """
    env = entries.env
    env["agency.audit"]._log(
        entries.browse(list(changed)),
        "rerate",
        changes={
            line_id: [("agency_bill_rate", price_text(env, old), price_text(env, new))]
            for line_id, (old, new) in changed.items()
        },
        reason=reason,
    )
