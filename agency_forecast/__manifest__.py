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
        "security/agency_warning_security.xml",
        "security/agency_booking_security.xml",
        "data/agency_warning_data.xml",
        "views/agency_forecast_menus.xml",
        "report/agency_margin_fact_views.xml",
        "report/agency_cycle_time_views.xml",
        "views/agency_engagement_views.xml",
        "views/project_project_views.xml",
        "views/agency_warning_views.xml",
        "views/res_config_settings_views.xml",
        "views/project_task_views.xml",
        "views/agency_booking_views.xml",
        "views/agency_heatmap_views.xml",
        "views/agency_role_views.xml",
        "views/hr_employee_views.xml",
        "wizards/agency_warning_acknowledge_views.xml",
        "data/spreadsheet_dashboard.xml",
    ],
    "demo": [
        "demo/agency_forecast_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "agency_forecast/static/src/**/*",
        ],
        "web.assets_tests": [
            "agency_forecast/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
