"""Administrators record the HSA-id or personnummer a user signs in with; stored like identities."""

from __future__ import annotations

import pytest
from django.db import connection

from stegvis.audit.models import Action, AuditEvent
from stegvis.eid import selectors
from stegvis.eid.config import HSA_ID, PERSONNUMMER
from stegvis.eid.models import EidIdentity
from stegvis.lib.crypto import decrypt
from tests.eid.conftest import PNR_NEW, PNR_OFFICER, oidc_sign_in

pytestmark = pytest.mark.django_db


def page_url(personas, user) -> str:
    return f"/konto/forbund/{personas.a.pk}/anvandare/{user.pk}/e-legitimation/"


def test_user_page_links_to_eid_page(client_for, personas):
    c = client_for(personas.admin_a)
    body = c.get(f"/konto/forbund/{personas.a.pk}/anvandare/{personas.manager_a.pk}/").content
    assert page_url(personas, personas.manager_a) in body.decode()


def test_admin_records_personnummer_encrypted_with_blind_index(client_for, personas):
    c = client_for(personas.admin_a)
    number = PNR_OFFICER[:8] + "-" + PNR_OFFICER[8:]
    response = c.post(
        page_url(personas, personas.manager_a), {"kind": PERSONNUMMER, "value": number}
    )
    assert response.status_code == 302
    identity = EidIdentity.objects.get(user=personas.manager_a)
    assert identity.kind == PERSONNUMMER
    assert PNR_OFFICER not in identity.value_encrypted
    assert decrypt(identity.value_encrypted) == PNR_OFFICER
    assert len(identity.value_index) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT value_encrypted, value_index FROM eid_eididentity")
        assert PNR_OFFICER not in str(cursor.fetchall())
    assert selectors.user_for_identity(kind=PERSONNUMMER, normalised=PNR_OFFICER) == (
        personas.manager_a
    )
    page = c.get(response["Location"]).content.decode()
    assert "Personnummer" in page
    assert PNR_OFFICER[:8] not in page  # the value is never shown again
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="eid.eididentity")
    assert event.actor == personas.admin_a
    assert event.details == {"kind": PERSONNUMMER, "user": personas.manager_a.pk}
    assert PNR_OFFICER[2:8] not in str(event.details) + event.reason


def test_hsa_id_is_normalised_and_replaced(client_for, personas):
    c = client_for(personas.admin_a)
    url = page_url(personas, personas.manager_a)
    c.post(url, {"kind": HSA_ID, "value": " se2321000016-abcd "})
    c.post(url, {"kind": HSA_ID, "value": "SE2321000016-EFGH"})
    identity = EidIdentity.objects.get(user=personas.manager_a)
    assert decrypt(identity.value_encrypted) == "SE2321000016-EFGH"
    assert AuditEvent.objects.filter(
        object_type="eid.eididentity", action=Action.UPDATE
    ).exists()


def test_invalid_values_get_swedish_errors_and_keep_input(client_for, personas):
    c = client_for(personas.admin_a)
    url = page_url(personas, personas.manager_a)
    response = c.post(url, {"kind": PERSONNUMMER, "value": "19811228-9875"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "kontrollsiffra stämmer inte" in body
    assert 'class="error-summary"' in body
    assert 'value="19811228-9875"' in body  # nothing typed is lost
    response = c.post(url, {"kind": HSA_ID, "value": "inte-ett-hsa-id"})
    assert "HSA-id har fel format." in response.content.decode()
    assert not EidIdentity.objects.exists()


def test_identity_of_another_account_is_refused(client_for, personas):
    c = client_for(personas.admin_a)
    c.post(page_url(personas, personas.manager_a), {"kind": PERSONNUMMER, "value": PNR_NEW})
    response = c.post(
        page_url(personas, personas.reader_a), {"kind": PERSONNUMMER, "value": PNR_NEW}
    )
    assert response.status_code == 400
    assert "redan kopplad till ett annat konto" in response.content.decode()
    assert not EidIdentity.objects.filter(user=personas.reader_a).exists()


def test_admin_of_other_association_cannot_record(client_for, personas):
    c = client_for(personas.admin_b)
    response = c.post(
        page_url(personas, personas.manager_a), {"kind": PERSONNUMMER, "value": PNR_NEW}
    )
    assert response.status_code in {403, 404}
    assert not EidIdentity.objects.exists()


def test_admin_cannot_take_over_account_with_roles_elsewhere(client_for, personas):
    """An account that also holds a role in B is B's business too: A's admin may not give it a
    new way in."""
    from tests import factories

    factories.grant(personas.manager_a, "insatsansvarig", personas.b)
    c = client_for(personas.admin_a)
    response = c.post(
        page_url(personas, personas.manager_a), {"kind": PERSONNUMMER, "value": PNR_NEW}
    )
    assert response.status_code == 403
    assert not EidIdentity.objects.exists()


def test_removed_identity_no_longer_signs_in(client_for, personas, oidc, eid_users):
    admin = client_for(personas.admin_a)
    url = page_url(personas, eid_users.new)
    response = admin.post(url + "ta-bort/", {"kind": PERSONNUMMER})
    assert response.status_code == 302
    assert not EidIdentity.objects.filter(user=eid_users.new).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, object_type="eid.eididentity").exists()
    admin.post("/konto/logout/")
    refused = oidc_sign_in(admin, oidc, "new")
    assert refused.status_code == 403
    assert "Det finns inget konto i Stegvis kopplat till din e-legitimation." in (
        refused.content.decode()
    )
