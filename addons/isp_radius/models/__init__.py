from . import isp_router
from . import isp_network_action
from . import isp_radius_session
from . import isp_subscription
from . import ir_config_parameter
# last: its init() makes the SQL views over the columns of the models above
from . import isp_radius
