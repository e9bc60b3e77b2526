from . import test_attributes
from . import test_contract
from . import test_views
from . import test_accounting
from . import test_network_actions
from . import test_download
