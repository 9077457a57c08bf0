"""Report of agency_forecast (one file per model)."""
