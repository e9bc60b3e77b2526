from . import isp_zone
