# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP Resellers and RADIUS",
    "summary": "Online versus offline customers per operator (chart, dashboard)",
    "version": "11.0.1.0.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_reseller", "isp_radius"],
    "data": [
        "security/ir.model.access.csv",
        "security/isp_reseller_radius_security.xml",
        "views/isp_online_analysis_views.xml",
    ],
    "auto_install": True,
}
