"""Bookings: groups book spaces by the hour, once or weekly; each instance is an occurrence row."""
