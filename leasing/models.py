"""Every model, imported in dependency order so that metadata (and Alembic) sees all tables."""

from leasing.accounts.models import Invitation, Membership, Organization, PasswordReset, User, UserSession  # noqa: F401
from leasing.api.models import ApiToken  # noqa: F401
from leasing.audit import AuditEvent  # noqa: F401
from leasing.bookings.models import Booking, BookingRules, ClosedDate, Occurrence  # noqa: F401, E402
from leasing.calendars.models import CalendarToken  # noqa: F401, E402
from leasing.documents.models import Document, Signature  # noqa: F401
from leasing.leases.application_models import ApplicationAttachment, ApplicationMessage, LeaseApplication  # noqa: F401
from leasing.leases.models import IndexValue, Lease, LeaseSigner, RentStep, Responsibility  # noqa: F401
from leasing.mail import OutboxMessage  # noqa: F401
from leasing.premises.models import (  # noqa: F401
    Building,
    BuildingDocument,
    OpeningHours,
    Photo,
    Space,
    SpaceFeature,
)
from leasing.sublets.models import Sublet  # noqa: F401, E402
