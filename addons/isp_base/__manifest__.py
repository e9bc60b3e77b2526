# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Base",
    "summary": "Subscribers, packages, billing profiles, IPAM, zones, roles and audit",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "account", "auditlog"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/isp_base_security.xml",
        "security/ir.model.access.csv",
        "data/isp_base_data.xml",
        "views/isp_config_views.xml",
        "views/isp_subscription_views.xml",
        "views/res_partner_views.xml",
        "views/auditlog_views.xml",
        "views/isp_menus.xml",
        "views/assets.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/isp_locale_demo.xml",
        "demo/isp_base_demo.xml",
    ],
}
