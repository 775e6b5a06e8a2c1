"""Read-only access to the two warehouses: declarations, engines, guard, sample data."""
