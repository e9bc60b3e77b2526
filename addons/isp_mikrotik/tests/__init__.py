from . import test_lib
from . import test_routeros_server
