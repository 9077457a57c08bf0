"""Models of agency_forecast (one file per model)."""

from . import agency_engagement
from . import project_project
