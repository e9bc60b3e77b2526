from . import test_lib
from . import test_routeros_server
from . import test_router
from . import test_provisioning
from . import test_jobs
from . import test_kick
from . import test_drift
from . import test_import
