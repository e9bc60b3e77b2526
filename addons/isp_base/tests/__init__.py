from . import test_isp_zone
