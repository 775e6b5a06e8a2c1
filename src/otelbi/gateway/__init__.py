"""api-gateway: the only public surface. Auth, forwarding, config, health, audit."""
