from . import test_commission
from . import test_packages
from . import test_money
from . import test_scope
