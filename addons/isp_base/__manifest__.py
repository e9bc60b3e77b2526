# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Base",
    "summary": "Subscribers, service plans, zones and roles of an ISP",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": ["base", "mail"],
    "data": [
        "security/isp_base_security.xml",
        "security/ir.model.access.csv",
        "views/isp_zone_views.xml",
    ],
}
