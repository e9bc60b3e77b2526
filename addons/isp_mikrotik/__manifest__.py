# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP MikroTik",
    "summary": "RouterOS API bridge: provisioning, kicks, router health, import, drift",
    "version": "11.0.1.1.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_base", "isp_radius", "queue_job"],
    "external_dependencies": {"python": ["librouteros"]},
    "data": [
        "data/isp_mikrotik_data.xml",
        "views/isp_router_views.xml",
        "views/isp_subscription_views.xml",
        "views/isp_mikrotik_wizard_views.xml",
        "views/isp_mikrotik_menus.xml",
    ],
    "demo": [
        "demo/isp_mikrotik_demo.xml",
    ],
}
