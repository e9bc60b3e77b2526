from . import isp_online_analysis
