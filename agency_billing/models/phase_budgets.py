"""Phase budgets, without the ORM: a not-to-exceed per project phase (a task,
the tasks with a tag, or the tasks in a stage), in hours or an amount, beside
the engagement's cap.

A billing run that would take a phase past its budget is blocked; one that
takes it to 80 % or more is warned.
"""

BASES = ("hours", "amount")
WARNING_SHARE = 0.8


def budget_error(limit):
    """Why a phase budget's limit is refused, or None."""
    if not limit or limit <= 0:
        return "the budget must be above 0"
    return None


def budget_status(limit, before, this_run):
    """ "over" when before + this_run passes the limit, "warning" at 80 % of it
    or more, else None; None too when the run adds nothing."""
    if not this_run or not limit:
        return None
    total = (before or 0.0) + this_run
    if round(total, 6) > round(limit, 6):
        return "over"
    if round(total, 6) >= round(limit * WARNING_SHARE, 6):
        return "warning"
    return None
