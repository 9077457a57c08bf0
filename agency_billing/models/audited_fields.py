"""What the audit log records of billing's records: the fields of a rate line
and of an engagement's terms whose changes write an audit row (agency.audit
``_log_operation``, one row per operation)."""

# What the audit log records of a rate line (created, changed, ended).
RATE_AUDITED = [
    "bill_rate",
    "cost_rate",
    "currency_id",
    "date_from",
    "date_to",
    "active",
    "partner_id",
    "project_id",
    "role_id",
    "employee_id",
]

# The engagement terms the audit log records (created and changed).
TERMS_AUDITED = [
    "kind",
    "currency_id",
    "cap_amount",
    "grouping",
    "rounding_increment",
    "rounding_method",
    "rounding_scope",
    "rounding_minimum",
    "expense_markup",
    "expense_grouping",
    "fee_amount",
    "retainer_period",
    "period_fee",
    "included_hours",
    "overage_rate_kind",
    "overage_rate",
    "overage_billing",
    "fee_timing",
]
