# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# customer portal (main), online payments and payment links (payment),
# hotspot login and self-registration (hotspot), helpdesk access fixes
# (helpdesk); the reseller and card distributor panels come as reseller.py /
# distributor.py on the same helpers (common.py)
from . import common
from . import main
from . import payment
from . import hotspot
from . import helpdesk
