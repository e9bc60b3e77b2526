# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_lib
from . import test_payments
from . import test_security
from . import test_hotspot
from . import test_reseller
from . import test_distributor
from . import test_distributor_concurrency
from . import test_reseller_pages
from . import test_radius_data
