"""Buyers: the businesses that order, their member levels and business types."""
