"""The analytic distribution of a billing run's invoice lines, looked up once
per set of facts instead of once per line (issue 19's benchmark).

Stock account computes each new invoice line's distribution on its own while
the invoice is created (``_sync_invoice`` reads every line's totals, one line
at a time): one search of the distribution models per line, although all the
time lines of an engagement's invoice share the product, partner, account and
company the models are chosen by. A weekend multiplier doubles the time lines
and so those searches. Inside ``remembered(env)`` the distribution models'
``_get_distribution`` (``models/account_analytic_distribution_model.py``)
answers the same facts from memory. Stock still decides every line's
distribution, the account its prefix is matched on included; the memory
lives only while the run creates its invoices, so a model added afterwards is
found by the next invoice."""

from contextlib import contextmanager

from odoo.tools import frozendict

MEMO_KEY = "agency_distribution_memo"


@contextmanager
def remembered(env):
    """Remember the distributions looked up inside the block (nested blocks
    share the outer memory; the outermost forgets it on leaving)."""
    cache = env.cr.cache
    if MEMO_KEY in cache:
        yield
        return
    cache[MEMO_KEY] = {}
    try:
        yield
    finally:
        cache.pop(MEMO_KEY, None)


def distribution(env, vals, lookup):
    """lookup(vals), or the distribution already found for the same facts
    (vals) by the same user in the same companies inside remembered()."""
    memo = env.cr.cache.get(MEMO_KEY)
    if memo is None:
        return lookup(vals)
    # frozen before the look-up: stock appends to the lists it is given
    key = (env.uid, env.su, tuple(env.companies.ids), frozen(vals))
    if key not in memo:
        memo[key] = lookup(vals)
    return dict(memo[key])


def frozen(vals):
    """vals as a key: its lists as tuples."""
    return frozendict(
        {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in vals.items()
        }
    )
