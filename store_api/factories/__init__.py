"""Factories: who they are and how they prove it (API tokens); lowest of the domains, since
products, stock, staff and forwards all name a factory."""
