{
    "name": "Agency Billing",
    "summary": "Rate cards, engagements, billing runs with checks, rounding, "
    "retainers, fixed fees and native invoices for creative agencies",
    "version": "18.0.1.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/agency-addons/agency-addons",
    "author": "Agency Add-ons",
    "license": "LGPL-3",
    "depends": ["agency_timesheet", "account", "hr_expense", "sale_timesheet"],
    "data": [
        "security/agency_billing_security.xml",
        "security/ir.model.access.csv",
        "data/agency_billing_data.xml",
        "data/web_tour_data.xml",
        "views/agency_rate_views.xml",
        "wizards/agency_rate_card_views.xml",
        "wizards/agency_rate_import_views.xml",
        "wizards/agency_rerate_wizard_views.xml",
        "views/account_analytic_line_views.xml",
        "views/res_partner_views.xml",
        "views/project_project_views.xml",
        "views/agency_engagement_views.xml",
        "views/agency_billing_invoice_views.xml",
        "views/agency_billing_run_views.xml",
        "wizards/agency_billing_exclude_wizard_views.xml",
        "views/agency_billing_menus.xml",
        "views/hr_expense_views.xml",
        "security/hr_expense_security.xml",
    ],
    "demo": [
        "demo/agency_rate_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "agency_billing/static/src/tours/*.js",
        ],
        "web.assets_tests": [
            "agency_billing/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
