"""Buyer pages and zone displays."""
