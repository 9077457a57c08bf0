import { registry } from "@web/core/registry";

/**
 * The forecast as a Billing user: open Agency › Analysis › Forecast, switch
 * views and weeks / months, then click a figure: the forecast lines behind it.
 */
registry.category("web_tour.tours").add("agency_forecast_tour", {
    url: "/odoo/forecast",
    steps: () => [
        {
            content: "The forecast opens on cash, by week, every scenario",
            trigger: ".o_agency_forecast_scenarios .o_agency_forecast_scenario_base .o_agency_forecast_cell",
        },
        {
            content: "The currency is stated",
            trigger: ".o_agency_forecast_rate_note:contains('In ')",
        },
        {
            content: "Switch to revenue",
            trigger: ".o_agency_forecast_view_revenue",
            run: "click",
        },
        {
            trigger: ".o_agency_forecast_view_revenue.btn-primary",
        },
        {
            content: "Switch to billings",
            trigger: ".o_agency_forecast_view_billings",
            run: "click",
        },
        {
            trigger: ".o_agency_forecast_view_billings.btn-primary",
        },
        {
            content: "By month",
            trigger: ".o_agency_forecast_period_months",
            run: "click",
        },
        {
            content: "Twelve months",
            trigger: ".o_agency_forecast_period_months.btn-primary",
        },
        {
            trigger: ".o_agency_forecast_scenario_base:has(td.o_agency_forecast_cell:eq(11))",
        },
        {
            content: "Per kind",
            trigger: ".o_agency_forecast_grain_kind",
            run: "click",
        },
        {
            trigger: ".o_agency_forecast_grain_kind.btn-primary",
        },
        {
            content: "Back to weeks and cash",
            trigger: ".o_agency_forecast_period_weeks",
            run: "click",
        },
        {
            trigger: ".o_agency_forecast_view_cash",
            run: "click",
        },
        {
            trigger: ".o_agency_forecast_view_cash.btn-primary",
        },
        {
            content: "Click this week's cash of the base scenario",
            trigger: ".o_agency_forecast_scenario_base td.o_agency_forecast_cell:first",
            run: "click",
        },
        {
            content: "The forecast lines behind it",
            trigger: ".o_list_view, .o_view_nocontent",
        },
        {
            trigger: ".o_breadcrumb:contains('Forecast lines of')",
        },
    ],
});
