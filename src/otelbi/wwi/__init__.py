"""WideWorldImporters domain: analytics, routes and the wwi-service application."""
