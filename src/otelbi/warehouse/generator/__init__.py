"""Deterministic sample data for the warehouses, shaped like the real data sets."""
