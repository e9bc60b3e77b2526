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
from . import test_reseller_offers
from . import test_radius_data
from . import test_login
from . import test_first_hour
from . import test_website_home
from . import test_bkash_currency
from . import test_backoffice_roles
