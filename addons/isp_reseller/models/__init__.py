from . import res_company
from . import res_partner
from . import res_users
from . import isp_service_plan
from . import isp_operator_charge
from . import isp_subscription
from . import account_invoice

