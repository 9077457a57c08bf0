{
    "name": "Agency Timesheets",
    "summary": "Roles, effortless time capture, approvals and lock dates for "
    "creative agencies",
    "version": "18.0.1.0.0",
    "category": "Services/Timesheets",
    "website": "https://github.com/agency-addons/agency-addons",
    "author": "Agency Add-ons",
    "license": "LGPL-3",
    "depends": ["hr_timesheet", "project", "calendar", "resource"],
    "data": [
        "security/agency_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/agency_role_views.xml",
        "views/agency_timer_views.xml",
        "views/agency_audit_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/hr_employee_views.xml",
        "views/account_analytic_line_views.xml",
        "views/agency_my_week_views.xml",
        "views/agency_menus.xml",
    ],
    "demo": [
        "demo/agency_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "agency_timesheet/static/src/**/*",
        ],
        "web.assets_tests": [
            "agency_timesheet/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
