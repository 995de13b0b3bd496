"""``flask --app wsgi demo``: the Oulu demo data, loaded idempotently.

Buildings are matched by name, organizations by name and users by e-mail: running the command
again changes nothing and adds nothing. Addresses and coordinates are illustrative.
"""

import io
from datetime import date, time
from decimal import Decimal

import click
import sqlalchemy as sa
from flask import current_app

from leasing import audit
from leasing.accounts.models import Membership, Organization, OrgKind, Role, User
from leasing.accounts.passwords import hash_password
from leasing.demo_house import load_house
from leasing.demo_leases import load_leases
from leasing.demo_pictures import facade_jpeg
from leasing.extensions import db
from leasing.premises import services
from leasing.premises.models import Building
from leasing.premises.vocabulary import BuildingStatus, BuildingType, Feature, SpaceKind

#: Shown by the command; the demo is for trying the service out, never for production data.
DEMO_PASSWORD = "tilasilta-demo-2026"  # noqa: S105

ORGANIZATIONS = [
    {
        "key": "centre",
        "kind": OrgKind.FACILITIES_CENTRE,
        "name": "Oulun kaupungin Tilakeskus",
        "contact_email": "tilakeskus@demo.example",
    },
    {
        "key": "association",
        "kind": OrgKind.ASSOCIATION,
        "name": "Oulun Nuorten Kulttuuritalo ry",
        "business_id": "2077474-0",
        "contact_email": "hallitus@kulttuuritalo.demo.example",
    },
    {
        "key": "band",
        "kind": OrgKind.CULTURAL_GROUP,
        "name": "Bändi Pohjoistuuli",
        "contact_email": "pohjoistuuli@demo.example",
    },
    {
        "key": "theatre",
        "kind": OrgKind.CULTURAL_GROUP,
        "name": "Teatteriryhmä Rospuutto",
        "contact_email": "rospuutto@demo.example",
    },
]

USERS = [
    {
        "email": "tilakeskus@demo.example",
        "name": "Tiina Tilakeskus",
        "org": "centre",
        "role": Role.ADMIN,
        "what": "facilities staff",
    },
    {
        "email": "yhdistys@demo.example",
        "name": "Aino Yhdistys",
        "org": "association",
        "role": Role.ADMIN,
        "what": "association admin",
    },
    {
        "email": "jasen@demo.example",
        "name": "Matti Jäsen",
        "org": "association",
        "role": Role.MEMBER,
        "what": "association member",
    },
    {"email": "bandi@demo.example", "name": "Gia Ryhmä", "org": "band", "role": Role.ADMIN, "what": "group admin"},
    {
        "email": "soittaja@demo.example",
        "name": "Veeti Soittaja",
        "org": "band",
        "role": Role.MEMBER,
        "what": "group member",
    },
    {
        "email": "teatteri@demo.example",
        "name": "Roosa Rospuutto",
        "org": "theatre",
        "role": Role.ADMIN,
        "what": "group admin",
    },
]

WEEKDAYS_16_22 = {d: (time(16), time(22)) for d in range(5)} | {5: (time(10), time(22)), 6: (time(10), time(18))}
OFFICE_HOURS = {d: (time(8), time(18)) for d in range(5)}
ALL_WEEK_9_23 = {d: (time(9), time(23)) for d in range(7)}

BUILDINGS = [
    {
        "name": "Tuiran vanha paloasema",
        "street_address": "Valtatie 53",
        "postal_code": "90500",
        "district": "Tuira",
        "latitude": "65.028500",
        "longitude": "25.466800",
        "building_type": BuildingType.FIRE_STATION,
        "year_built": 1956,
        "area_m2": "920.0",
        "asking_rent": "1850.00",
        "available_from": date(2027, 1, 1),
        "status": BuildingStatus.VACANT,
        "description": "Punatiilinen paloasema, jossa kalustohalli, letkutorni ja miehistön tilat. "
        "Kalustohalli sopii konserteille ja teatterille, entiset toimistot harjoitustiloiksi.",
        "accessibility": "Kalustohalliin pääsee ilman portaita. Toisessa kerroksessa ei hissiä.",
        "spaces": [
            {
                "name": "Kalustohalli",
                "kind": SpaceKind.HALL,
                "area_m2": "310.0",
                "capacity": 180,
                "features": [Feature.ACCESSIBLE, Feature.STAGE, Feature.LOADING_DOCK],
                "bookable": True,
                "hourly_rate": "35.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Letkutornin studio",
                "kind": SpaceKind.STUDIO,
                "area_m2": "45.0",
                "capacity": 8,
                "features": [Feature.DAYLIGHT],
                "bookable": True,
                "hourly_rate": "12.00",
                "hours": WEEKDAYS_16_22,
            },
            {
                "name": "Miehistön taukotupa",
                "kind": SpaceKind.KITCHEN,
                "area_m2": "60.0",
                "capacity": 25,
                "features": [Feature.KITCHEN, Feature.ACCESSIBLE_TOILET],
                "bookable": False,
            },
            {
                "name": "Harjoitushuone 1",
                "kind": SpaceKind.REHEARSAL_ROOM,
                "area_m2": "38.0",
                "capacity": 10,
                "features": [Feature.SOUND_INSULATED],
                "bookable": True,
                "hourly_rate": "10.00",
                "hours": WEEKDAYS_16_22,
            },
            {
                "name": "Harjoitushuone 2",
                "kind": SpaceKind.REHEARSAL_ROOM,
                "area_m2": "34.0",
                "capacity": 8,
                "features": [Feature.SOUND_INSULATED],
                "bookable": True,
                "hourly_rate": "10.00",
                "hours": WEEKDAYS_16_22,
            },
        ],
    },
    {
        "name": "Välivainion varikko",
        "street_address": "Nokelantie 61",
        "postal_code": "90240",
        "district": "Välivainio",
        "latitude": "65.003700",
        "longitude": "25.507900",
        "building_type": BuildingType.DEPOT,
        "year_built": 1972,
        "area_m2": "1450.0",
        "asking_rent": "2400.00",
        "available_from": date(2027, 3, 1),
        "status": BuildingStatus.VACANT,
        "description": "Entinen katukunnossapidon varikko: korkea hallitila, verstaat ja sosiaalitilat. "
        "Sopii bändien treenikämpiksi, pajoiksi ja lavasteiden rakentamiseen.",
        "accessibility": "Kaikki tilat yhdessä kerroksessa. Esteetön WC sosiaalitiloissa.",
        "spaces": [
            {
                "name": "Konehalli",
                "kind": SpaceKind.HALL,
                "area_m2": "620.0",
                "capacity": 250,
                "features": [Feature.ACCESSIBLE, Feature.LOADING_DOCK, Feature.PARKING],
                "bookable": True,
                "hourly_rate": "40.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Puuverstas",
                "kind": SpaceKind.WORKSHOP,
                "area_m2": "140.0",
                "capacity": 12,
                "features": [Feature.ACCESSIBLE, Feature.DAYLIGHT],
                "bookable": True,
                "hourly_rate": "15.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Treenikämppä A",
                "kind": SpaceKind.REHEARSAL_ROOM,
                "area_m2": "30.0",
                "capacity": 6,
                "features": [Feature.SOUND_INSULATED, Feature.ACCESSIBLE],
                "bookable": True,
                "hourly_rate": "8.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Treenikämppä B",
                "kind": SpaceKind.REHEARSAL_ROOM,
                "area_m2": "30.0",
                "capacity": 6,
                "features": [Feature.SOUND_INSULATED, Feature.ACCESSIBLE],
                "bookable": True,
                "hourly_rate": "8.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Sosiaalitilat",
                "kind": SpaceKind.OTHER,
                "area_m2": "90.0",
                "capacity": 20,
                "features": [Feature.SHOWER, Feature.ACCESSIBLE_TOILET, Feature.KITCHEN],
                "bookable": False,
            },
        ],
    },
    {
        "name": "Kaukovainion entinen koulu",
        "street_address": "Kaukovainiontie 8",
        "postal_code": "90570",
        "district": "Kaukovainio",
        "latitude": "64.996000",
        "longitude": "25.505000",
        "building_type": BuildingType.SCHOOL,
        "year_built": 1968,
        "area_m2": "2100.0",
        "asking_rent": "3900.00",
        "available_from": date(2026, 12, 1),
        "status": BuildingStatus.VACANT,
        "description": "Kaksikerroksinen koulu luokkineen, liikuntasaleineen ja keittiöineen.",
        "accessibility": "Hissi molempiin kerroksiin. Pääovella luiska.",
        "spaces": [
            {
                "name": "Liikuntasali",
                "kind": SpaceKind.HALL,
                "area_m2": "360.0",
                "capacity": 200,
                "features": [Feature.ACCESSIBLE, Feature.SHOWER],
                "bookable": True,
                "hourly_rate": "30.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Luokka 104",
                "kind": SpaceKind.MEETING_ROOM,
                "area_m2": "62.0",
                "capacity": 30,
                "features": [Feature.DAYLIGHT, Feature.WIFI, Feature.ACCESSIBLE],
                "bookable": True,
                "hourly_rate": "12.00",
                "hours": OFFICE_HOURS,
            },
            {
                "name": "Kotitalousluokka",
                "kind": SpaceKind.KITCHEN,
                "area_m2": "85.0",
                "capacity": 24,
                "features": [Feature.KITCHEN, Feature.ACCESSIBLE],
                "bookable": True,
                "hourly_rate": "18.00",
                "hours": OFFICE_HOURS,
            },
        ],
    },
    {
        "name": "Toppilan huvila",
        "street_address": "Toppilansaarentie 4",
        "postal_code": "90510",
        "district": "Toppila",
        "latitude": "65.041000",
        "longitude": "25.438000",
        "building_type": BuildingType.VILLA,
        "year_built": 1912,
        "area_m2": "240.0",
        "asking_rent": "950.00",
        "available_from": date(2027, 5, 1),
        "status": BuildingStatus.VACANT,
        "description": "Puuhuvila meren rannalla; salonki, kamarit ja lasikuisti.",
        "accessibility": "Portaat pääovelle, ei esteetöntä sisäänkäyntiä.",
        "spaces": [
            {
                "name": "Salonki",
                "kind": SpaceKind.HALL,
                "area_m2": "70.0",
                "capacity": 40,
                "features": [Feature.DAYLIGHT],
                "bookable": True,
                "hourly_rate": "20.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Kamari",
                "kind": SpaceKind.STUDIO,
                "area_m2": "24.0",
                "capacity": 4,
                "features": [Feature.DAYLIGHT],
                "bookable": False,
            },
        ],
    },
    {
        "name": "Raksilan vanha varasto",
        "street_address": "Raksilantie 21",
        "postal_code": "90130",
        "district": "Raksila",
        "latitude": "65.008500",
        "longitude": "25.488000",
        "building_type": BuildingType.WAREHOUSE,
        "year_built": 1961,
        "area_m2": "680.0",
        "asking_rent": "1200.00",
        "available_from": None,
        "status": BuildingStatus.VACANT,
        "description": "Kylmä varastohalli ja lämmin toimistosiipi. Vapaa heti.",
        "accessibility": "Maantasossa, leveät ovet.",
        "spaces": [
            {
                "name": "Varastohalli",
                "kind": SpaceKind.STORAGE,
                "area_m2": "520.0",
                "capacity": None,
                "features": [Feature.LOADING_DOCK, Feature.PARKING, Feature.ACCESSIBLE],
                "bookable": False,
            },
            {
                "name": "Toimistosiipi",
                "kind": SpaceKind.OFFICE,
                "area_m2": "110.0",
                "capacity": 10,
                "features": [Feature.WIFI, Feature.ACCESSIBLE_TOILET],
                "bookable": False,
            },
        ],
    },
    {
        "name": "Hintan päiväkoti",
        "street_address": "Hintanpolku 3",
        "postal_code": "90650",
        "district": "Hintta",
        "latitude": "65.020000",
        "longitude": "25.535000",
        "building_type": BuildingType.DAYCARE,
        "year_built": 1985,
        "area_m2": "520.0",
        "asking_rent": "1100.00",
        "available_from": date(2027, 8, 1),
        "status": BuildingStatus.VACANT,
        "description": "Yksikerroksinen päiväkoti pihoineen; ryhmätilat sopivat kerhoille ja pajoille.",
        "accessibility": "Esteetön, yksi kerros, esteetön WC.",
        "spaces": [
            {
                "name": "Ryhmätila Kuusi",
                "kind": SpaceKind.MEETING_ROOM,
                "area_m2": "55.0",
                "capacity": 20,
                "features": [Feature.ACCESSIBLE, Feature.DAYLIGHT, Feature.ACCESSIBLE_TOILET],
                "bookable": True,
                "hourly_rate": "9.00",
                "hours": WEEKDAYS_16_22,
            },
            {
                "name": "Sali",
                "kind": SpaceKind.HALL,
                "area_m2": "90.0",
                "capacity": 50,
                "features": [Feature.ACCESSIBLE],
                "bookable": True,
                "hourly_rate": "15.00",
                "hours": WEEKDAYS_16_22,
            },
        ],
    },
    {
        "name": "Haukiputaan virastotalo",
        "street_address": "Kirkkotie 10",
        "postal_code": "90830",
        "district": "Haukipudas",
        "latitude": "65.176000",
        "longitude": "25.352000",
        "building_type": BuildingType.OFFICE,
        "year_built": 1978,
        "area_m2": "1300.0",
        "asking_rent": "2600.00",
        "available_from": date(2027, 2, 1),
        "status": BuildingStatus.NEGOTIATING,
        "description": "Entinen kunnantalo: toimistohuoneita, valtuustosali ja arkistokellari.",
        "accessibility": "Hissi, esteetön WC ensimmäisessä kerroksessa.",
        "spaces": [
            {
                "name": "Valtuustosali",
                "kind": SpaceKind.HALL,
                "area_m2": "180.0",
                "capacity": 120,
                "features": [Feature.ACCESSIBLE, Feature.PA_SYSTEM, Feature.WIFI],
                "bookable": True,
                "hourly_rate": "25.00",
                "hours": OFFICE_HOURS,
            },
            {
                "name": "Toimistohuone 12",
                "kind": SpaceKind.OFFICE,
                "area_m2": "18.0",
                "capacity": 3,
                "features": [Feature.WIFI],
                "bookable": False,
            },
        ],
    },
    {
        "name": "Linnanmaan pajahalli",
        "street_address": "Teknologiantie 12",
        "postal_code": "90590",
        "district": "Linnanmaa",
        "latitude": "65.058000",
        "longitude": "25.456000",
        "building_type": BuildingType.INDUSTRIAL,
        "year_built": 1990,
        "area_m2": "860.0",
        "asking_rent": "1700.00",
        "available_from": date(2027, 6, 1),
        "status": BuildingStatus.VACANT,
        "description": "Teollisuushalli nosturiradalla; sopii kuvanveistoon, metallitöihin ja lavastamoksi.",
        "accessibility": "Maantasossa, nosto-ovi ja henkilöovi ilman kynnystä.",
        "spaces": [
            {
                "name": "Pajahalli",
                "kind": SpaceKind.WORKSHOP,
                "area_m2": "640.0",
                "capacity": 30,
                "features": [Feature.LOADING_DOCK, Feature.ACCESSIBLE, Feature.PARKING],
                "bookable": True,
                "hourly_rate": "22.00",
                "hours": ALL_WEEK_9_23,
            },
            {
                "name": "Taukotila",
                "kind": SpaceKind.KITCHEN,
                "area_m2": "40.0",
                "capacity": 15,
                "features": [Feature.KITCHEN],
                "bookable": False,
            },
        ],
    },
    {
        "name": "Pikisaaren makasiini",
        "street_address": "Pikisaarentie 2",
        "postal_code": "90100",
        "district": "Pikisaari",
        "latitude": "65.018000",
        "longitude": "25.456500",
        "building_type": BuildingType.WAREHOUSE,
        "year_built": 1890,
        "area_m2": "310.0",
        "asking_rent": "800.00",
        "available_from": date(2027, 9, 1),
        "status": BuildingStatus.DRAFT,
        "description": "Vanha puinen makasiini. Kuntotutkimus kesken; ei vielä julkaistu.",
        "accessibility": "Selvitetään kuntotutkimuksen yhteydessä.",
        "spaces": [
            {
                "name": "Makasiinin sali",
                "kind": SpaceKind.HALL,
                "area_m2": "240.0",
                "capacity": 80,
                "features": [],
                "bookable": False,
            },
        ],
    },
]


@click.command("demo")
@click.option("--force", is_flag=True, help="Load the demo even in production (never do this on real data).")
def demo(force):
    """Load the Oulu demo data (idempotent) and print the demo logins."""
    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException("Refusing to load demo users with a published password in production.")
    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data ready ({created} new records).")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in USERS:
        click.echo(f"  {user['what']:<20} {user['email']}")


def load_demo():
    """Create whatever of the demo data is missing; return how many records were added."""
    orgs, created = _organizations()
    created += _users(orgs)
    created += _buildings(orgs)
    created += load_leases(DEMO_PASSWORD)
    created += load_house(DEMO_PASSWORD)
    return created


def _get_or_none(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _organizations():
    orgs, created = {}, 0
    for spec in ORGANIZATIONS:
        values = {k: v for k, v in spec.items() if k != "key"}
        org = _get_or_none(Organization, name=spec["name"])
        if org is None:
            org = Organization(**values)
            db.session.add(org)
            created += 1
        orgs[spec["key"]] = org
    db.session.flush()
    return orgs, created


def _users(orgs):
    created, password_hash = 0, None
    for spec in USERS:
        if _get_or_none(User, email=spec["email"]) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(email=spec["email"], name=spec["name"], password_hash=password_hash, locale="fi")
        db.session.add(user)
        db.session.flush()
        db.session.add(
            Membership(
                user=user, organization=orgs[spec["org"]], role=spec["role"], can_sign=spec["role"] == Role.ADMIN
            )
        )
        created += 1
    db.session.flush()
    return created


def _buildings(orgs):
    """Each missing building through the register's services, as staff would enter it."""
    created = 0
    staff = _get_or_none(User, email=USERS[0]["email"])
    for seed, spec in enumerate(BUILDINGS):
        if _get_or_none(Building, name=spec["name"]) is not None:
            continue
        values = {k: v for k, v in spec.items() if k not in ("spaces", "status")}
        for key in ("latitude", "longitude", "area_m2", "asking_rent"):
            values[key] = Decimal(values[key])
        building = services.create_building(staff, values)
        for space in spec["spaces"]:
            services.save_space(staff, building, _space_values(space))
        picture = io.BytesIO(facade_jpeg(spec["building_type"].value, seed))
        services.add_photo(staff, building, picture, f"Havainnekuva: {spec['name']} (piirros, ei valokuva)")
        _set_status(staff, building, spec["status"])
        created += 1
    db.session.flush()
    return created


def _space_values(spec):
    return {
        "name": spec["name"],
        "kind": spec["kind"],
        "area_m2": Decimal(spec["area_m2"]),
        "capacity": spec["capacity"],
        "bookable": spec["bookable"],
        "hourly_rate": Decimal(spec["hourly_rate"]) if spec.get("hourly_rate") else None,
        "features": spec["features"],
        "opening_hours": spec.get("hours", {}),
    }


def _set_status(staff, building, status):
    """Publish what is public; a building in negotiation is published first, as it would have been."""
    if status == BuildingStatus.DRAFT:
        return
    services.change_status(staff, building, "publish")
    if status == BuildingStatus.NEGOTIATING:
        changes = audit.diff(building, {"status": status})
        audit.record(staff, "building.demo_negotiating", building, changes)
