"""The sublet vocabularies: kinds and statuses, with translated titles."""

import enum

from flask_babel import lazy_gettext as _l


class SubletKind(enum.StrEnum):
    """Exclusive use of a space, or a weekly slot in it."""

    EXCLUSIVE = "exclusive"
    SLOT = "slot"

    @property
    def title(self):
        return {SubletKind.EXCLUSIVE: _l("Exclusive use"), SubletKind.SLOT: _l("Weekly slot")}[self]


class SubletStatus(enum.StrEnum):
    """Where a sublet is in its life. ``effective_status(today)`` turns signed into active and expired."""

    DRAFT = "draft"
    OFFERED = "offered"
    #: Both sides have signed; the lease asks the landlord's approval, not given yet.
    AWAITING_APPROVAL = "awaiting_approval"
    SIGNED = "signed"
    ACTIVE = "active"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    TERMINATED = "terminated"
    EXPIRED = "expired"

    @property
    def title(self):
        return STATUS_TITLES[self]


STATUS_TITLES = {
    SubletStatus.DRAFT: _l("Draft"),
    SubletStatus.OFFERED: _l("Offered"),
    SubletStatus.AWAITING_APPROVAL: _l("Awaiting the landlord's approval"),
    SubletStatus.SIGNED: _l("Signed"),
    SubletStatus.ACTIVE: _l("Active"),
    SubletStatus.REFUSED: _l("Refused by the landlord"),
    SubletStatus.CANCELLED: _l("Cancelled"),
    SubletStatus.TERMINATED: _l("Terminated"),
    SubletStatus.EXPIRED: _l("Expired"),
}
#: A sublet in one of these is in force, or will be (it holds its space or slot).
BINDING_STATUSES = (SubletStatus.SIGNED, SubletStatus.ACTIVE)
#: A sublet in one of these still claims its space or slot (for the overlap rule).
HOLDING_STATUSES = (
    SubletStatus.DRAFT,
    SubletStatus.OFFERED,
    SubletStatus.AWAITING_APPROVAL,
    SubletStatus.SIGNED,
    SubletStatus.ACTIVE,
)
