"""Sublets: an association gives a group a space of its leased premises for a period."""
