from . import isp_operator_money
from . import isp_operator_statement
from . import isp_dashboard
