from . import account_invoice
from . import account_payment
from . import isp_billing_run
from . import isp_other_charge
from . import isp_notice
from . import isp_subscription
from . import isp_billing_analysis
