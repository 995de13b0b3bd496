"""The sublet pages through the test client with CSRF: the whole path, errors next to their fields, who may
see and do what (403/404 by guessing ids), the lists and the register's fixed number of queries."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from leasing.accounts.models import OrgKind, Role
from leasing.extensions import db
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import SubletKind, SubletStatus
from tests.conftest import count_queries, login, post_form
from tests.factories import PASSWORD, make_house, make_org, make_user
from tests.sublets.kit import END, START, form_data, make_sublet, pdf_text, to


def _ok(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    return response


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def approval_house(app, staff, association):
    return make_house(tenant=association, sublet_needs_approval=True)


def test_the_whole_sublet_path_through_the_pages(
    app, approval_house, association_admin, group, group_admin, staff, outbox
):
    lease = approval_house
    assoc = _client(app, association_admin)
    page = assoc.get(f"/leases/{lease.id}/sublets").get_data(as_text=True)
    assert f"/leases/{lease.id}/sublets/new" in page
    new_url = f"/leases/{lease.id}/sublets/new"
    assert assoc.get(new_url).status_code == 200
    data = form_data(lease, group, kind="slot", weekday="1", slot_starts="18:00", slot_ends="21:00", language="en")
    location = _ok(post_form(assoc, new_url, data, form_url=new_url)).headers["Location"]
    sublet = db.session.scalar(sa.select(Sublet).where(Sublet.lease_id == lease.id))
    assert location.endswith(f"/sublets/{sublet.id}") and sublet.status == SubletStatus.DRAFT
    assert sublet.kind == SubletKind.SLOT and sublet.slot_starts.hour == 18
    url = f"/sublets/{sublet.id}"
    assert "Weekly slot: every Tuesday 18:00–21:00" in assoc.get(url).get_data(as_text=True)

    _ok(post_form(assoc, f"{url}/offer", {}, form_url=url))
    assert sublet.status == SubletStatus.OFFERED
    group_client = _client(app, group_admin)
    assert "Sign version 1 of the contract" in group_client.get(url).get_data(as_text=True)
    wrong = post_form(group_client, f"{url}/sign", {"password": "väärä-salasana-123"}, form_url=url)
    assert wrong.status_code == 422 and "Enter your password to confirm" in wrong.get_data(as_text=True)
    _ok(post_form(group_client, f"{url}/sign", {"password": PASSWORD}, form_url=url))
    _ok(post_form(assoc, f"{url}/sign", {"password": PASSWORD}, form_url=url))
    assert sublet.status == SubletStatus.AWAITING_APPROVAL

    staff_client = _client(app, staff)
    staff_page = staff_client.get(url).get_data(as_text=True)
    assert "Approve the sublet" in staff_page and "Refuse the sublet" in staff_page
    refused = post_form(staff_client, f"{url}/refuse", {"reason": ""}, form_url=url)
    assert refused.status_code == 422 and "Enter the reason for refusing the sublet" in refused.get_data(as_text=True)
    _ok(post_form(staff_client, f"{url}/approve", {"note": "Hyväksytty."}, form_url=url))
    assert sublet.status == SubletStatus.SIGNED and sublet.effective_status(START) == SubletStatus.ACTIVE

    pdf = group_client.get(f"{url}/contract.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "signed" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    for expected in ("Sublease agreement", sublet.number, lease.number, group.name, lease.tenant.name, "Tuesday"):
        assert expected in text
    assert "Signature page" in text and "Landlord's approval" in text.replace("’", "'")
    # The association issues a sublet: the city's name heads only its own contracts.
    assert text.lstrip().startswith(lease.tenant.name) and "Tilakeskus" not in text.split("\n", 1)[0]
    assert f"Sublet offer {sublet.number} is ready for signing" in to(outbox, group_admin)
    assert f"Sublet {sublet.number} awaits your approval" in to(outbox, staff)
    assert f"Sublet {sublet.number} was approved by the landlord" in to(outbox, association_admin)


def test_a_form_error_sits_next_to_its_field(app, staff, association, association_admin, group):
    lease = make_house(tenant=association)
    assoc = _client(app, association_admin)
    url = f"/leases/{lease.id}/sublets/new"
    data = form_data(lease, group, ends_on=(lease.end_date + timedelta(days=1)).isoformat())
    response = post_form(assoc, url, data, form_url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html and 'href="#ends_on"' in html
    assert "Enter a last day on or before the lease&#39;s last day." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sublet)) == 0


def test_an_overlap_is_shown_on_the_space(app, staff, association, association_admin, group):
    lease = make_house(tenant=association)
    taken = make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP, name="Teatteri Valo"))
    assoc = _client(app, association_admin)
    url = f"/leases/{lease.id}/sublets/new"
    response = post_form(assoc, url, form_data(lease, group), form_url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#space_id"' in html
    assert taken.number in html and "Teatteri Valo" in html


@pytest.fixture
def offered(app, staff, association, association_admin, group):
    """An offered sublet made through the services."""
    from leasing.sublets import services, signing
    from tests.sublets.kit import values

    lease = make_house(tenant=association)
    with app.test_request_context():
        sublet = services.create_draft(association_admin, lease, values(lease, group))
        signing.offer(association_admin, sublet)
    db.session.flush()
    return sublet


def test_outsiders_guessing_ids_get_404_and_anonymous_users_log_in(app, client, offered, outbox):
    url = f"/sublets/{offered.id}"
    for path in (url, f"{url}/contract.pdf", f"/leases/{offered.lease_id}/sublets"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    stranger = _client(app, make_user(make_org(OrgKind.CULTURAL_GROUP), Role.ADMIN))
    for path in (url, f"{url}/contract.pdf", f"{url}/edit", f"/leases/{offered.lease_id}/sublets", "/sublets/999999"):
        assert stranger.get(path).status_code == 404, path
    assert post_form(stranger, f"{url}/sign", {"password": PASSWORD}).status_code == 404
    assert post_form(stranger, f"/leases/{offered.lease_id}/sublets/new", {}).status_code == 404
    other_association_admin = _client(app, make_user(make_org(), Role.ADMIN))
    assert other_association_admin.get(f"{url}/contract.pdf").status_code == 404


def test_parties_without_the_right_get_403(app, offered, association_member, group_member, outbox):
    url = f"/sublets/{offered.id}"
    member = _client(app, group_member)
    assert member.get(url).status_code == 200
    assert member.get(f"{url}/contract.pdf").status_code == 200  # a party reads the contract
    assert post_form(member, f"{url}/sign", {"password": PASSWORD}, form_url=url).status_code == 403
    assert post_form(member, f"{url}/cancel", {}, form_url=url).status_code == 403
    assert post_form(member, f"{url}/approve", {}, form_url=url).status_code == 403
    assoc_member = _client(app, association_member)
    assert assoc_member.get(f"/leases/{offered.lease_id}/sublets/new").status_code == 403
    assert assoc_member.get(f"{url}/edit").status_code == 403


def test_staff_read_but_do_not_sign_or_edit(app, offered, staff, outbox):
    url = f"/sublets/{offered.id}"
    staff_client = _client(app, staff)
    assert staff_client.get(f"{url}/contract.pdf").status_code == 200
    assert staff_client.get(f"{url}/edit").status_code == 403
    assert post_form(staff_client, f"{url}/sign", {"password": PASSWORD}, form_url=url).status_code == 403


def test_editing_an_offer_through_the_page_makes_version_two(app, offered, association_admin, group_admin, outbox):
    url = f"/sublets/{offered.id}"
    assoc = _client(app, association_admin)
    data = form_data(offered.lease, offered.group, monthly_rent="175,50")
    _ok(post_form(assoc, f"{url}/edit", data, form_url=f"{url}/edit"))
    page = assoc.get(url).get_data(as_text=True)
    assert "version 2" in page and "Version 1" in page
    assert "175,50" in pdf_text(assoc.get(f"{url}/contract.pdf").data)
    assert "175,50" not in pdf_text(assoc.get(f"{url}/contract.pdf?version=1").data)


def test_cancel_and_terminate_through_the_pages(app, staff, association, association_admin, group, outbox):
    lease = make_house(tenant=association)
    signed = make_sublet(lease, group, starts_on=START - timedelta(days=10))
    assoc = _client(app, association_admin)
    url = f"/sublets/{signed.id}"
    late = (END + timedelta(days=1)).isoformat()
    bad = post_form(assoc, f"{url}/terminate", {"ends_on": late, "reason": "x"}, form_url=url)
    assert bad.status_code == 422 and "on or before the sublet&#39;s current last day" in bad.get_data(as_text=True)
    last = (START + timedelta(days=5)).isoformat()
    missing = post_form(assoc, f"{url}/terminate", {"ends_on": last, "reason": ""}, form_url=url)
    assert missing.status_code == 422 and "Enter the reason for ending the sublet" in missing.get_data(as_text=True)
    _ok(post_form(assoc, f"{url}/terminate", {"ends_on": last, "reason": "Ryhmä lopettaa."}, form_url=url))
    assert signed.ended_on.isoformat() == last and signed.terminated_at is not None
    draft = make_sublet(lease, group, status=SubletStatus.DRAFT, space=lease.building.spaces[1])
    _ok(post_form(assoc, f"/sublets/{draft.id}/cancel", {"reason": ""}, form_url=f"/sublets/{draft.id}"))
    assert draft.status == SubletStatus.CANCELLED


def test_my_sublets_lists_those_of_my_organizations(app, staff, association, group, group_member):
    lease = make_house(tenant=association)
    mine = make_sublet(lease, group)
    other = make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), space=lease.building.spaces[1])
    html = _client(app, group_member).get("/sublets").get_data(as_text=True)
    assert mine.number in html and other.number not in html


SLOT = {"kind": SubletKind.SLOT, "weekday": 2, "slot_starts": time(17), "slot_ends": time(19)}


def _register_queries(client, url="/staff/sublets"):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries.count, response.get_data(as_text=True)


def test_the_register_groups_by_building_in_a_fixed_number_of_queries(app, staff, association, group_admin):
    staff_client = _client(app, staff)
    first = make_house(tenant=association)
    make_sublet(first, make_org(OrgKind.CULTURAL_GROUP))
    few, _ = _register_queries(staff_client)
    second = make_house(tenant=make_org())
    for lease in (first, second):
        for space in lease.building.spaces[1:]:
            make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), space=space, **SLOT)
        later = {"starts_on": END + timedelta(days=1), "ends_on": END + timedelta(days=90)}
        make_sublet(lease, make_org(OrgKind.CULTURAL_GROUP), **later)
    flagged = make_sublet(second, make_org(OrgKind.CULTURAL_GROUP), space=second.building.spaces[0])
    flagged.flagged_at = flagged.created_at
    db.session.flush()
    many, html = _register_queries(staff_client)
    assert many == few, f"{few} queries for one row, {many} for seven"
    assert first.building.name in html and second.building.name in html and "Yes, " in html
    _, filtered = _register_queries(staff_client, f"/staff/sublets?building={first.building_id}")
    assert first.building.name in filtered and f'<h2 id="building-{second.building_id}"' not in filtered
    assert _client(app, group_admin).get("/staff/sublets").status_code == 403


def test_the_pages_render_in_finnish(app, offered, staff):
    group_client = _client(app, make_user(offered.group, Role.ADMIN, locale="fi"))
    slot = make_sublet(
        offered.lease, offered.group, space=offered.lease.building.spaces[1], status=SubletStatus.DRAFT, **SLOT
    )
    headers = {"Accept-Language": "fi"}
    for path in (f"/sublets/{offered.id}", f"/sublets/{slot.id}", "/sublets"):
        response = group_client.get(path, headers=headers)
        assert response.status_code == 200 and '<html lang="fi">' in response.get_data(as_text=True), path
    assert "17.00" in group_client.get("/sublets", headers=headers).get_data(as_text=True)
    assert _client(app, staff).get("/staff/sublets", headers=headers).status_code == 200
