{
    "name": "Agency Forecast",
    "summary": "Live margins, utilization heatmaps and cash forecasts with "
    "scenarios for creative agencies",
    "version": "18.0.1.0.0",
    "category": "Services/Timesheets",
    "website": "https://github.com/agency-addons/agency-addons",
    "author": "Agency Add-ons",
    "license": "LGPL-3",
    "depends": ["agency_billing", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/agency_forecast_security.xml",
        "views/agency_forecast_menus.xml",
        "report/agency_margin_fact_views.xml",
        "report/agency_cycle_time_views.xml",
        "views/agency_engagement_views.xml",
        "views/project_project_views.xml",
        "data/spreadsheet_dashboard.xml",
    ],
    "installable": True,
}
