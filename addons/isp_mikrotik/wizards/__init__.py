from . import isp_mikrotik_drift
from . import isp_mikrotik_session
from . import isp_mikrotik_import
