"""What later domains need to hear from a lease, without the lease knowing them (sublets and bookings
come after leases in the import order).

``lease_ending`` is sent, inside the caller's transaction, when a lease gets a last day earlier than
it had (notice, early termination) and when it expires or ends: keyword arguments ``lease``,
``last_day`` (the date after which nothing under the lease may happen) and ``actor`` (a user, or
None for the daily tick). Receivers flag what the lease carried and tell the people affected; they
never delete, and they flush but never commit.
"""

from blinker import Namespace

_signals = Namespace()

lease_ending = _signals.signal("lease-ending")
