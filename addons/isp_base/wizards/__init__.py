from . import isp_subscription_wizards
