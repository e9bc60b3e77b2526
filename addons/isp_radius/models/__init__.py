from . import isp_router
from . import isp_network_action
