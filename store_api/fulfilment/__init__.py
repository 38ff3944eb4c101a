"""Fulfilment: forwards to factories and their webhooks, shipments, the factory API and portal,
consignment settlement, and onboarding factories."""
