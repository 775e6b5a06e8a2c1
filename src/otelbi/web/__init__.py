"""HTTP plumbing shared by the gateway and the domain services."""
