"""The demo agency's billing (agency_billing's step of `agency.demo`)."""

from . import agency_demo
