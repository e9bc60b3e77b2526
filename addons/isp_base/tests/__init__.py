from . import test_rules
from . import test_subscription
from . import test_ipam
from . import test_access
from . import test_secrets
from . import test_login_network
from . import test_localtime
from . import test_demo_currency
