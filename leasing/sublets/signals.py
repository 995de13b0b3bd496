"""What later domains need to hear from a sublet, without the sublet knowing them (bookings come after
sublets in the import order).

``sublet_ending`` is sent, inside the caller's transaction, when a sublet stops holding its space
before its end: it is terminated early, refused by the landlord, or cancelled. Keyword arguments:
``sublet``, ``last_day`` (the date after which nothing under the sublet may happen: the last day
after early termination; the day before its start for a refused or cancelled sublet, which never
held anything) and ``actor`` (a user, or None for a job). Receivers flag what the sublet carried and
tell the people affected; they never delete, and they flush but never commit.
"""

from blinker import Namespace

_signals = Namespace()

sublet_ending = _signals.signal("sublet-ending")
