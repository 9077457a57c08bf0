"""What the margin view (agency.margin.fact) and the weekly margin facts
(agency.margin.week) read alike when grouped: refused figures without an
exchange rate (:func:`read_group_checked`), the pivot's and
graph's reads as read-only (a replica), and stock's group labels and domains
for thousands of groups at once (group_format.py)."""

from odoo import api, models

from .group_format import format_groups, group_records


def read_group_checked(
    model, read_group, domain, groupby, aggregates, having, offset, limit, order
):
    """read_group(...) (a model's super()._read_group) of the margin facts or
    the weekly facts, refusing figures that would need an exchange rate Odoo
    does not have, in the same query (one more aggregate): the error names the
    currency and the first day without a rate.

    And no JIT compilation for the rest of the transaction: PostgreSQL's
    planner prices the view's per-row currency look-ups high enough to
    JIT-compile the aggregate, which took seconds of a query that runs in a
    fraction of that without it (see the bench rows)."""
    model.env.cr.execute("SET LOCAL jit = off")
    rows = read_group(
        domain,
        groupby,
        [*aggregates, "missing_currency_id:max"],
        having,
        offset,
        limit,
        order,
    )
    if any(row[-1] for row in rows):
        currency, day = read_group(
            [*domain, ("missing_currency_id", "!=", False)],
            ["missing_currency_id"],
            ["date:min"],
            (),
            0,
            1,
            None,
        )[0]
        Fact = model.env["agency.margin.fact"]
        if model._name != Fact._name:  # a week: its first fact without a rate
            day = (
                Fact.sudo()._read_group(
                    [("missing_currency_id", "=", currency.id), ("date", ">=", day)],
                    [],
                    ["date:min"],
                )[0][0]
                or day
            )
        raise Fact._agency_missing_rate(currency, day)
    return [row[:-1] for row in rows]


class AgencyMarginGrouped(models.AbstractModel):
    _name = "agency.margin.grouped"
    _description = "Agency Margin Grouped Reads"

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None,
        order=None,
    ):  # fmt: skip
        """Every grouped read refuses figures that would need an exchange rate
        Odoo does not have (:func:`read_group_checked`)."""
        return read_group_checked(
            self, super()._read_group, domain, groupby, aggregates, having,
            offset, limit, order,
        )  # fmt: skip

    @api.model
    @api.readonly
    def read_group(self, domain, fields, groupby, *args, **kwargs):
        """The pivot's and graph's reads (web_read_group calls this one)."""
        return super().read_group(domain, fields, groupby, *args, **kwargs)

    def _read_group_postprocess_groupby(self, groupby_spec, raw_values):
        """Stock's, with one recordset per distinct client, role, person...
        rather than one per group (report/group_format.py)."""
        records = group_records(self, groupby_spec, raw_values)
        if records is not None:
            return records
        return super()._read_group_postprocess_groupby(groupby_spec, raw_values)

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        """Stock's labels and domains of the groups, each distinct date
        labelled once (report/group_format.py): thousands of groups at once."""
        if format_groups(self, rows_dict, lazy_groupby):
            return None
        return super()._read_group_format_result(rows_dict, lazy_groupby)
