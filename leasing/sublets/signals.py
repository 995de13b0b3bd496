"""What later domains need to hear from a sublet, without the sublet knowing them (bookings come after
sublets in the import order).

``sublet_ending`` is sent, inside the caller's transaction, when a sublet stops holding its space
before its end: it is terminated early, refused by the landlord, or cancelled. Keyword arguments:
``sublet``, ``last_day`` (the date after which nothing under the sublet may happen: the last day
after early termination; the day before its start for a refused or cancelled sublet, which never
held anything) and ``actor`` (a user, or None for a job). Receivers flag what the sublet carried and
tell the people affected; they never delete, and they flush but never commit.

``sublet_binding`` is sent, inside the caller's transaction, when a sublet comes into force (signed by
both sides and, where the lease asks, approved by the landlord). Keyword arguments ``sublet`` and
``actor``. Receivers flag other groups' bookings that now fall in the sublet's exclusive use or weekly
slot, and tell them; nothing is cancelled.
"""

from blinker import Namespace

_signals = Namespace()

sublet_ending = _signals.signal("sublet-ending")
sublet_binding = _signals.signal("sublet-binding")
