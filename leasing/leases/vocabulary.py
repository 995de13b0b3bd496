"""The lease vocabularies: statuses, VAT, maintenance items and parties, with translated titles."""

import enum

from flask_babel import lazy_gettext as _l


class LeaseStatus(enum.StrEnum):
    """Where a lease is in its life."""

    DRAFT = "draft"
    OFFERED = "offered"
    SIGNED = "signed"
    ACTIVE = "active"
    TERMINATED = "terminated"
    EXPIRED = "expired"

    @property
    def title(self):
        return STATUS_TITLES[self]


STATUS_TITLES = {
    LeaseStatus.DRAFT: _l("Draft"),
    LeaseStatus.OFFERED: _l("Offered"),
    LeaseStatus.SIGNED: _l("Signed"),
    LeaseStatus.ACTIVE: _l("Active"),
    LeaseStatus.TERMINATED: _l("Terminated"),
    LeaseStatus.EXPIRED: _l("Expired"),
}
#: A lease in one of these holds its spaces (for the overlap check).
HOLDING_STATUSES = (LeaseStatus.DRAFT, LeaseStatus.OFFERED, LeaseStatus.SIGNED, LeaseStatus.ACTIVE)
#: A lease in one of these is in force, or will be.
BINDING_STATUSES = (LeaseStatus.SIGNED, LeaseStatus.ACTIVE)


class VatStatus(enum.StrEnum):
    """Whether the rent carries value added tax."""

    NONE = "none"
    VAT_25_5 = "vat_25_5"

    @property
    def title(self):
        return {VatStatus.NONE: _l("Not subject to VAT"), VatStatus.VAT_25_5: _l("VAT 25.5 % added")}[self]


class Party(enum.StrEnum):
    """Who answers for a maintenance item."""

    LANDLORD = "landlord"
    TENANT = "tenant"
    SHARED = "shared"

    @property
    def title(self):
        return {Party.LANDLORD: _l("Landlord"), Party.TENANT: _l("Tenant"), Party.SHARED: _l("Shared")}[self]


class Item(enum.StrEnum):
    """A maintenance item of the responsibility table."""

    HEATING = "heating"
    ELECTRICITY = "electricity"
    WATER = "water"
    CLEANING = "cleaning"
    SNOW_REMOVAL = "snow_removal"
    REPAIRS_INTERIOR = "repairs_interior"
    REPAIRS_STRUCTURAL = "repairs_structural"
    WASTE = "waste"
    INSURANCE_PROPERTY = "insurance_property"

    @property
    def title(self):
        return ITEM_TITLES[self]


ITEM_TITLES = {
    Item.HEATING: _l("Heating"),
    Item.ELECTRICITY: _l("Electricity"),
    Item.WATER: _l("Water and sewerage"),
    Item.CLEANING: _l("Cleaning"),
    Item.SNOW_REMOVAL: _l("Snow removal and yard upkeep"),
    Item.REPAIRS_INTERIOR: _l("Interior repairs and surfaces"),
    Item.REPAIRS_STRUCTURAL: _l("Structural repairs, roof and building services"),
    Item.WASTE: _l("Waste management"),
    Item.INSURANCE_PROPERTY: _l("Property insurance"),
}

#: The table a new draft starts from: the city keeps the building, the tenant keeps it in use.
DEFAULT_RESPONSIBILITIES = {
    Item.HEATING: Party.LANDLORD,
    Item.ELECTRICITY: Party.TENANT,
    Item.WATER: Party.LANDLORD,
    Item.CLEANING: Party.TENANT,
    Item.SNOW_REMOVAL: Party.LANDLORD,
    Item.REPAIRS_INTERIOR: Party.TENANT,
    Item.REPAIRS_STRUCTURAL: Party.LANDLORD,
    Item.WASTE: Party.SHARED,
    Item.INSURANCE_PROPERTY: Party.LANDLORD,
}

#: Contract languages (the document's own, whoever reads it).
CONTRACT_LANGUAGES = {"fi": _l("Finnish"), "en": _l("English")}
