# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# customer portal (main), online payments and payment links (payment),
# hotspot login and self-registration (hotspot), helpdesk access fixes
# (helpdesk), reseller panel (reseller), card distributor panel (distributor),
# where portal logins land (login)
from . import common
from . import main
from . import payment
from . import hotspot
from . import helpdesk
from . import reseller
from . import distributor
from . import login
