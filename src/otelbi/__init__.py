"""OTel BI: business intelligence over SQL Server warehouses, traceable end to end."""

__version__ = "0.1.0"
