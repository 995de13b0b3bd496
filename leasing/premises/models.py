"""Buildings, their spaces, opening hours, features, photos and documents."""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leasing.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from leasing.extensions import db
from leasing.premises import rules
from leasing.premises.vocabulary import BuildingStatus, BuildingType, Feature, SpaceKind


class Building(TimestampMixin, db.Model):
    """A building the facilities centre lists, from draft to leased or withdrawn."""

    __tablename__ = "building"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, index=True)
    street_address: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    postal_code: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    city: Mapped[str] = mapped_column(sa.String(100), nullable=False, default="Oulu")
    #: One of ``rules.DISTRICTS``.
    district: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    building_type: Mapped[BuildingType] = mapped_column(enum_column(BuildingType), nullable=False, index=True)
    year_built: Mapped[int | None] = mapped_column(sa.Integer)
    #: Gross floor area in square metres.
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(10, 1), nullable=False, index=True)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    accessibility: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: Asking rent in euros per month, VAT 0 %.
    asking_rent: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), index=True)
    available_from: Mapped[date | None] = mapped_column(sa.Date, index=True)
    #: Safety limit: people present at once in the whole building, over every room and group (NULL: none).
    safety_limit: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[BuildingStatus] = mapped_column(
        enum_column(BuildingStatus), nullable=False, default=BuildingStatus.DRAFT, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    spaces: Mapped[list["Space"]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="Space.position, Space.id"
    )
    photos: Mapped[list["Photo"]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="Photo.position, Photo.id"
    )
    documents: Mapped[list["BuildingDocument"]] = relationship(
        back_populates="building", cascade="all, delete-orphan", order_by="BuildingDocument.id"
    )

    __table_args__ = (
        sa.CheckConstraint("area_m2 > 0", name="area_positive"),
        sa.CheckConstraint("safety_limit IS NULL OR safety_limit >= 1", name="safety_limit_positive"),
        sa.CheckConstraint("asking_rent IS NULL OR asking_rent >= 0", name="rent_not_negative"),
        sa.CheckConstraint("year_built IS NULL OR (year_built >= 1600 AND year_built <= 2100)", name="year_range"),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"),
        sa.Index("ix_building_status_available", "status", "available_from"),
        #: The public list's default order (newest published first) within a status.
        sa.Index("ix_building_status_published", "status", "published_at"),
    )

    def __repr__(self):
        return f"<Building {self.id} {self.name!r}>"

    @property
    def is_public(self):
        """Drafts are for staff only; everything else has a public page."""
        return self.status != BuildingStatus.DRAFT

    @property
    def cover_photo(self):
        """The first photo, shown on list cards (None without photos)."""
        return self.photos[0] if self.photos else None

    @property
    def map_url(self):
        """The building on OpenStreetMap, or None without coordinates."""
        return rules.map_url(self.latitude, self.longitude)

    def can_view(self, user):
        """Anyone sees a published building; only staff see drafts."""
        return self.is_public or user.is_staff

    @classmethod
    def can_manage(cls, user):
        """Only facilities staff see the register of all buildings, drafts included."""
        return user.is_staff

    @classmethod
    def can_create(cls, user):
        """Only facilities staff add buildings."""
        return user.is_staff

    def can_edit(self, user):
        """Only facilities staff edit buildings, their spaces, photos and documents."""
        return user.is_staff

    def can_apply(self, user):
        """Association admins may apply for a vacant building (the application is a later issue)."""
        return self.status == BuildingStatus.VACANT and any(
            m.organization.kind.value == "association" and m.role.value == "admin" for m in user.memberships
        )


class Space(TimestampMixin, db.Model):
    """A room or area of a building."""

    __tablename__ = "space"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        sa.ForeignKey("building.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[SpaceKind] = mapped_column(enum_column(SpaceKind), nullable=False)
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(10, 1), nullable=False)
    #: People allowed in the space at once.
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    bookable: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: Euros per hour, VAT included.
    hourly_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    building: Mapped[Building] = relationship(back_populates="spaces")
    features: Mapped[list["SpaceFeature"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SpaceFeature.feature"
    )
    opening_hours: Mapped[list["OpeningHours"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OpeningHours.weekday"
    )

    __table_args__ = (
        sa.CheckConstraint("area_m2 > 0", name="area_positive"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("hourly_rate IS NULL OR hourly_rate >= 0", name="rate_not_negative"),
    )

    def __repr__(self):
        return f"<Space {self.id} {self.name!r}>"

    @property
    def feature_set(self):
        """The space's features as a set of ``Feature`` members."""
        return {f.feature for f in self.features}

    def can_view(self, user):
        """A space is visible wherever its building is."""
        return self.building.can_view(user)

    def can_edit(self, user):
        """Whoever edits the building edits its spaces."""
        return self.building.can_edit(user)


class SpaceFeature(db.Model):
    """A feature a space has (stage, sound insulation, …); searched, so a row each."""

    __tablename__ = "space_feature"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    feature: Mapped[Feature] = mapped_column(enum_column(Feature), primary_key=True, index=True)


class OpeningHours(db.Model):
    """When a space is open on one weekday (0 = Monday), Europe/Helsinki wall-clock time."""

    __tablename__ = "opening_hours"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    opens: Mapped[time] = mapped_column(sa.Time, nullable=False)
    closes: Mapped[time] = mapped_column(sa.Time, nullable=False)

    __table_args__ = (
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )


class Photo(db.Model):
    """A re-encoded photo of a building and its thumbnail, stored under generated names."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        sa.ForeignKey("building.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: Generated file name of the full-size image under UPLOAD_FOLDER/photos.
    filename: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    thumbnail: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    width: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    height: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: Text alternative for people who cannot see the photo.
    alt_text: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    building: Mapped[Building] = relationship(back_populates="photos")


class BuildingDocument(db.Model):
    """A PDF about a building, such as a floor plan."""

    __tablename__ = "building_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(
        sa.ForeignKey("building.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    size_bytes: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    building: Mapped[Building] = relationship(back_populates="documents")
