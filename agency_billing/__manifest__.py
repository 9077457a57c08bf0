{
    "name": "Agency Billing",
    "summary": "Rate cards, engagements, billing runs with checks, rounding, "
    "retainers, fixed fees and native invoices for creative agencies",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/agency-addons/agency-addons",
    "author": "Agency Add-ons",
    "license": "LGPL-3",
    "depends": ["agency_timesheet", "account", "hr_expense", "sale_timesheet"],
    "data": [
        "security/agency_billing_security.xml",
    ],
    "installable": True,
}
