"""User tokens (OIDC, checked at the gateway) and internal service tokens."""
