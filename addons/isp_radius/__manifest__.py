# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ISP RADIUS",
    "summary": "FreeRADIUS bridge: auth through SQL views, accounting, usage history, "
               "checked disconnects and CoA",
    "version": "11.0.1.1.0",
    "category": "ISP",
    "website": "https://github.com/isp-suite/isp-suite",
    "author": "ISP Suite contributors",
    "license": "LGPL-3",
    "depends": ["isp_base", "queue_job"],
    "external_dependencies": {"python": ["pyrad", "xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/isp_radius_security.xml",
        "data/isp_radius_data.xml",
        "views/isp_router_views.xml",
        "views/isp_network_action_views.xml",
        "views/isp_radius_session_views.xml",
        "views/isp_radius_usage_views.xml",
        "views/isp_subscription_views.xml",
        "views/isp_radius_menus.xml",
    ],
    "demo": [
        "demo/isp_radius_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
}
