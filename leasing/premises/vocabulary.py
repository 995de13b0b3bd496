"""The premises register's vocabularies: statuses, types, kinds, features and districts, with translated titles."""

import enum

from flask_babel import lazy_gettext as _l


class BuildingStatus(enum.StrEnum):
    """Where a building is in its life."""

    DRAFT = "draft"
    VACANT = "vacant"
    NEGOTIATING = "negotiating"
    LEASED = "leased"
    WITHDRAWN = "withdrawn"

    @property
    def title(self):
        return STATUS_TITLES[self]


STATUS_TITLES = {
    BuildingStatus.DRAFT: _l("Draft"),
    BuildingStatus.VACANT: _l("Vacant"),
    BuildingStatus.NEGOTIATING: _l("In negotiation"),
    BuildingStatus.LEASED: _l("Leased"),
    BuildingStatus.WITHDRAWN: _l("Withdrawn"),
}


class BuildingType(enum.StrEnum):
    """What kind of building it is."""

    FIRE_STATION = "fire_station"
    DEPOT = "depot"
    SCHOOL = "school"
    DAYCARE = "daycare"
    OFFICE = "office"
    VILLA = "villa"
    WAREHOUSE = "warehouse"
    INDUSTRIAL = "industrial"
    OTHER = "other"

    @property
    def title(self):
        return TYPE_TITLES[self]


TYPE_TITLES = {
    BuildingType.FIRE_STATION: _l("Fire station"),
    BuildingType.DEPOT: _l("Depot"),
    BuildingType.SCHOOL: _l("School"),
    BuildingType.DAYCARE: _l("Day-care centre"),
    BuildingType.OFFICE: _l("Office building"),
    BuildingType.VILLA: _l("Villa or house"),
    BuildingType.WAREHOUSE: _l("Warehouse"),
    BuildingType.INDUSTRIAL: _l("Industrial hall"),
    BuildingType.OTHER: _l("Other"),
}


class SpaceKind(enum.StrEnum):
    """What a space is used for."""

    HALL = "hall"
    REHEARSAL_ROOM = "rehearsal_room"
    STUDIO = "studio"
    WORKSHOP = "workshop"
    OFFICE = "office"
    MEETING_ROOM = "meeting_room"
    KITCHEN = "kitchen"
    STORAGE = "storage"
    GARAGE = "garage"
    OTHER = "other"

    @property
    def title(self):
        return KIND_TITLES[self]


KIND_TITLES = {
    SpaceKind.HALL: _l("Hall"),
    SpaceKind.REHEARSAL_ROOM: _l("Rehearsal room"),
    SpaceKind.STUDIO: _l("Studio"),
    SpaceKind.WORKSHOP: _l("Workshop"),
    SpaceKind.OFFICE: _l("Office room"),
    SpaceKind.MEETING_ROOM: _l("Meeting room"),
    SpaceKind.KITCHEN: _l("Kitchen"),
    SpaceKind.STORAGE: _l("Storage"),
    SpaceKind.GARAGE: _l("Garage or vehicle hall"),
    SpaceKind.OTHER: _l("Other"),
}


class Feature(enum.StrEnum):
    """Features a space can have; searched on the public list."""

    ACCESSIBLE = "accessible"
    ACCESSIBLE_TOILET = "accessible_toilet"
    SOUND_INSULATED = "sound_insulated"
    STAGE = "stage"
    PA_SYSTEM = "pa_system"
    KITCHEN = "kitchen"
    SHOWER = "shower"
    LOADING_DOCK = "loading_dock"
    PARKING = "parking"
    WIFI = "wifi"
    DAYLIGHT = "daylight"

    @property
    def title(self):
        return FEATURE_TITLES[self]


FEATURE_TITLES = {
    Feature.ACCESSIBLE: _l("Step-free access"),
    Feature.ACCESSIBLE_TOILET: _l("Accessible toilet"),
    Feature.SOUND_INSULATED: _l("Sound insulated"),
    Feature.STAGE: _l("Stage"),
    Feature.PA_SYSTEM: _l("PA system"),
    Feature.KITCHEN: _l("Kitchen"),
    Feature.SHOWER: _l("Shower"),
    Feature.LOADING_DOCK: _l("Loading dock"),
    Feature.PARKING: _l("Parking"),
    Feature.WIFI: _l("Wi-Fi"),
    Feature.DAYLIGHT: _l("Daylight"),
}

#: Oulu's districts, as used on the public list's filter.
DISTRICTS = (
    "Haukipudas",
    "Heinäpää",
    "Hiukkavaara",
    "Hintta",
    "Höyhtyä",
    "Intiö",
    "Kaakkuri",
    "Kaijonharju",
    "Karjasilta",
    "Kastelli",
    "Kaukovainio",
    "Keskusta",
    "Kiiminki",
    "Knuutila",
    "Kontinkangas",
    "Koskela",
    "Kuivasjärvi",
    "Linnanmaa",
    "Maikkula",
    "Myllyoja",
    "Nokela",
    "Oulunsalo",
    "Pateniemi",
    "Peltola",
    "Pikisaari",
    "Pokkinen",
    "Rajakylä",
    "Raksila",
    "Ritaharju",
    "Ruskotunturi",
    "Talvikangas",
    "Toppila",
    "Tuira",
    "Välivainio",
    "Yli-Ii",
    "Ylikiiminki",
)
