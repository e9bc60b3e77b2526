from . import isp_dashboard
