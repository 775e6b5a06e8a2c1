"""AdventureWorks domain: analytics, routes and the aw-service application."""
