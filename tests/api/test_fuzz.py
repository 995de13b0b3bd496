"""schemathesis fuzzes every operation of the OpenAPI document, as three callers.

Examples are generated from the document itself — valid ones and ones the schema forbids — and
each answer is checked: no 5xx, the status, headers and body as documented, nothing the schema
forbids accepted with a 2xx. Schema-valid data may still break a rule (a booking outside opening
hours, a space larger than its building): its 422 is right, so schemathesis' "positive data
accepted" check is left out. The run is bounded and seeded (deterministic), so it is repeatable
and quick in ``make test``; ``make fuzz`` runs it with many more examples (``API_FUZZ_EXAMPLES``).

Each operation is one test on the rolled-back test database, with a small world in it (a house
with a lease, a sublet, bookings), so low ids hit real objects as well as missing ones.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from leasing import create_app
from leasing.bookings import services as bookings
from tests.api.kit import bearer
from tests.bookings.kit import house, make_sublet, weekly

#: Examples per operation and caller; ``make fuzz`` raises it and adds the coverage phase
#: (schemathesis' systematic boundary and negative cases, thorough but slow to build).
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))
PHASES = os.environ.get("API_FUZZ_PHASES", "examples,fuzzing").split(",")


def _document():
    """The OpenAPI document, read at collection from an app without a database (it needs none)."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        return app.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_document())
schema.config.phases.update(phases=PHASES)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    no_shrink=True,
    database="none",
)


@pytest.fixture
def world(app_ctx, staff, association, association_admin, group, group_member, outbox):
    """A house leased to the association with a sublet to the group and a weekly booking request."""
    lease = house(association)
    space = lease.building.spaces[0]
    make_sublet(lease, group, lease.building.spaces[1])
    bookings.request(group_member, space, weekly(group))
    return lease


#: One world per operation and caller, kept while the examples run (each test is rolled back after).
fuzz_settings = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _fuzz(case, app, headers):
    """Requests go in-process to the suite's app (its rolled-back test database)."""
    case.call_and_validate(headers=headers, app=app, excluded_checks=[positive_data_acceptance])


@schema.parametrize()
@fuzz_settings
def test_as_anonymous(case, app, world):
    _fuzz(case, app, {})


@schema.parametrize()
@fuzz_settings
def test_as_a_group_member(case, app, world, group_member):
    _fuzz(case, app, bearer(group_member))


@schema.parametrize()
@fuzz_settings
def test_as_staff(case, app, world, staff):
    _fuzz(case, app, bearer(staff))
