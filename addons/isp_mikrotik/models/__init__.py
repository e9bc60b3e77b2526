from . import isp_router
from . import isp_subscription
from . import isp_packages
from . import isp_network_action
