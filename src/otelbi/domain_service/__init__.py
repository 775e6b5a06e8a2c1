"""What aw-service and wwi-service have in common: lifespan, internal auth, auditing."""
