from . import test_rules
from . import test_monthly
from . import test_payments
from . import test_suspension
from . import test_notices
from . import test_reports
from . import test_localtime
from . import test_roles
