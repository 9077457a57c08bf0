"""Onboarding per role: which guided tour (static/src/tours/) each Agency level
gets, offered once on first login and replayed from the user menu (Agency
tour). The highest level a person has wins: Billing (and Administrators) learn a
billing run, producers approving and rejecting, creatives the timer and their
week. The manuals the tours point to are each add-on's readme/USAGE.md."""

LEVEL_TOURS = (
    ("agency_timesheet.group_agency_billing", "agency_onboarding_billing"),
    ("agency_timesheet.group_agency_producer", "agency_onboarding_producer"),
    ("agency_timesheet.group_agency_user", "agency_onboarding_creative"),
)
TOUR_NAMES = frozenset(name for _group, name in LEVEL_TOURS)


def tour_for(has_group, available):
    """The tour of the highest level a person has among the tours `available`
    (installed), or None.

    :param has_group: a function of a group's xml id
    """
    for group, name in LEVEL_TOURS:
        if name in available and has_group(group):
            return name
    return None
