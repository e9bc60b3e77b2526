from . import test_lib, test_generation, test_redeem, test_accounting, test_access, test_sale
from . import test_pins
from . import test_localtime
