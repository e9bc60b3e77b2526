from . import isp_billing_export
from . import isp_billing_wizards
from . import isp_dashboard
