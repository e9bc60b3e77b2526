# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Recharge Cards",
    "summary": "Recharge cards: batches, distributors, printing, digital sale, redemption",
    "version": "11.0.1.1.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_reseller"],
    "external_dependencies": {"python": ["qrcode", "xlsxwriter", "psycopg2"]},
    "data": [
        "security/isp_cards_security.xml",
        "security/ir.model.access.csv",
        "data/isp_cards_data.xml",
        "report/isp_card_report.xml",
        "views/isp_card_wizard_views.xml",
        "views/isp_card_views.xml",
        "views/isp_card_templates.xml",
    ],
    "demo": [
        "demo/isp_cards_demo.xml",
    ],
}
