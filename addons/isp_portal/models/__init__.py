# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import res_company
from . import isp_notice
from . import isp_portal_otp
from . import payment_acquirer
from . import payment_transaction
from . import account_invoice
from . import isp_subscription
from . import reseller_panel
from . import website
from . import isp_router
from . import ir_http
