from . import isp_online_analysis
from . import isp_router
