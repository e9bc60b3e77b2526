# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Portal",
    "summary": "Customer portal, hotspot self-registration with SMS codes, bKash and "
               "hosted-gateway payments, payment links",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_reseller", "isp_cards", "portal", "website", "payment", "helpdesk_mgmt"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/isp_portal_security.xml",
        "data/isp_portal_data.xml",
        "views/payment_views.xml",
        "views/isp_portal_views.xml",
        "views/portal_templates.xml",
        "views/hotspot_templates.xml",
        "views/payment_templates.xml",
        "views/reseller_templates.xml",
        "views/distributor_templates.xml",
        "views/website_templates.xml",
    ],
    "demo": [
        "demo/isp_portal_demo.xml",
        "demo/website_locale_demo.xml",
        "demo/website_demo.xml",
    ],
}
