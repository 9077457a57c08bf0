from . import billing_rules
