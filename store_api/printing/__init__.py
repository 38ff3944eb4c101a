"""Printing: the receipt and label queue, shelf label batches and their console pages."""
