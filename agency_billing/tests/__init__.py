from . import test_billing_rules
