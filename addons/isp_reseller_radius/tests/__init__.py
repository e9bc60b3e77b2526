from . import test_charts
