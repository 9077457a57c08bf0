"""The demo's snapshot: the base scenario frozen for the board three months
before the plan's `today` (agency_timesheet/demo/plan.py), through the same
*Freeze for the Board* as users (models/agency_forecast_snapshot.py), so that
*Forecast Accuracy* compares it with the demo's real invoices and payments of
the three months since."""

from datetime import timedelta

THREE_MONTHS = timedelta(days=91)


def build(env, plan):
    """Freeze the company's base scenario as of three months ago, once."""
    Snapshot = env["agency.forecast.snapshot"]
    if Snapshot.search_count([("company_id", "=", env.company.id)]):
        return Snapshot
    base = env["agency.forecast.scenario"].search(
        [("company_id", "=", env.company.id), ("kind", "=", "base")], limit=1
    )
    if not base:
        return Snapshot
    return Snapshot._agency_freeze(base, today=plan.today - THREE_MONTHS)
