"""Shelf labels and receipts: turns plain data into codes, pictures and printer bytes."""
