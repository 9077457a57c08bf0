"""The arithmetic of time suggestions (models/agency_suggestion.py), no database.

Plain values in, plain values out: the limits of each source, the hours an
event counts for, a typical duration, how the recent activity on tasks is
tallied, which teammates' work is proposed first, and which proposals are new.
"""

import statistics
from collections import defaultdict

# Tasks the person wrote on or changed during the chosen day and the days before.
RECENT_DAYS = 3
# Projects a person is on: where they logged time during this many days.
TEAM_DAYS = 30
# The default duration of a task suggestion: the person's average entry on the
# task over this many days, else DEFAULT_TASK_HOURS.
AVERAGE_DAYS = 60
DEFAULT_TASK_HOURS = 1.0
MAX_TASK_HOURS = 2.0
MAX_TASK_SUGGESTIONS = 8
MAX_TEAMMATE_SUGGESTIONS = 5
# The hours an event counts for are capped at the person's working day.
DEFAULT_DAY_HOURS = 8.0
REGENERATED_SOURCES = ("calendar", "task", "teammates")


def event_hours(start, stop, day_end, cap):
    """Hours an event counts for on the day it starts.

    The event is cut at the end of its day and capped at a working day, so that
    a conference running for three days does not become 60 hours.
    :param start, stop, day_end: datetimes of one kind (all naive UTC or all aware)
    :param cap: the most hours a day of the person
    :return: hours rounded to the minute, 0 when the event has no length
    """
    seconds = (min(stop, day_end) - start).total_seconds()
    hours = max(0.0, min(seconds / 3600.0, cap))
    return round(hours * 60) / 60


def typical_hours(values, step=0.25):
    """The median of some durations, rounded to a step (never below the step)."""
    values = [value for value in values if value > 0]
    if not values:
        return 0.0
    median = statistics.median(values)
    return max(step, round(median / step) * step)


def task_hours(average):
    """The hours of a task suggestion: the person's typical entry on the task
    (at most MAX_TASK_HOURS), else DEFAULT_TASK_HOURS."""
    if not average:
        return DEFAULT_TASK_HOURS
    return min(MAX_TASK_HOURS, typical_hours([average]))


def tally_task_activity(messages):
    """{task id: {"messages": n, "changes": n, "last": latest datetime}}.

    :param messages: (task id, is a change (has tracking values), datetime)
    """
    activity = defaultdict(lambda: {"messages": 0, "changes": 0, "last": None})
    for task_id, is_change, when in messages:
        info = activity[task_id]
        info["changes" if is_change else "messages"] += 1
        info["last"] = max(info["last"] or when, when)
    return dict(activity)


def rank_teammate_work(per_teammate, readable_task_ids, limit=MAX_TEAMMATE_SUGGESTIONS):
    """The work teammates logged, most proposed first: [(project id, task id,
    [hours of each teammate])], the most teammates first, then the most hours.

    :param per_teammate: (project id, task id or False, teammate id, hours)
    :param readable_task_ids: the tasks the person may read (others are left out)
    """
    hours_by_work = defaultdict(list)
    for project_id, task_id, _teammate, hours in per_teammate:
        hours_by_work[(project_id, task_id)].append(hours)
    readable = set(readable_task_ids)
    work = [
        (project_id, task_id, hours)
        for (project_id, task_id), hours in hours_by_work.items()
        if not task_id or task_id in readable
    ]
    work.sort(key=lambda item: (-len(item[2]), -sum(item[2]), item[0], item[1]))
    return work[:limit]


def new_proposals(proposals, known_keys, logged):
    """Which proposals to create, and which source keys still apply.

    A proposal whose key came earlier in the list is a repeat; one on work
    already logged that day is left out (nothing to remember); one whose key is
    known was made before and is kept as it is.
    :param proposals: dicts with a source_key and maybe project_id, task_id
    :param known_keys: the source keys of the day's existing suggestions
    :param logged: {(project id, task id or False)} logged that day
    :return: (proposals to create, set of wanted source keys)
    """
    wanted, to_create = set(), []
    for vals in proposals:
        key = vals["source_key"]
        if key in wanted:
            continue
        if vals.get("project_id") and (
            (vals["project_id"], vals.get("task_id") or False) in logged
        ):
            continue
        wanted.add(key)
        if key not in known_keys:
            to_create.append(vals)
    return to_create, wanted
