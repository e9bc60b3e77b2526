# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Resellers",
    "summary": "Reseller chains, wallets and credit limits, commission entries, scoping",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_billing"],
    "data": [
        "security/ir.model.access.csv",
        "data/isp_reseller_data.xml",
        "security/isp_reseller_security.xml",
        "report/isp_operator_statement_report.xml",
        "views/isp_reseller_wizard_views.xml",
        "views/isp_reseller_views.xml",
    ],
    "demo": [
        "demo/isp_reseller_demo.xml",
    ],
}
