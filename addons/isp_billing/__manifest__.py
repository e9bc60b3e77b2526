# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Billing",
    "summary": "Monthly and daily billing, payments, suspension, notices, bills and reports",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_base", "account_invoicing", "queue_job"],
    "external_dependencies": {"python": ["qrcode", "num2words", "xlsxwriter", "requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/isp_billing_security.xml",
        "data/isp_billing_data.xml",
        "report/isp_invoice_report.xml",
        "views/isp_billing_wizard_views.xml",
        "views/isp_billing_views.xml",
        "views/isp_subscription_views.xml",
        "views/isp_dashboard_views.xml",
        "views/isp_billing_menus.xml",
    ],
    "demo": [
        "demo/isp_billing_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
