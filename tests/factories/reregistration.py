"""Re-registrations of births, for tests outside tests/registrar/reregistration."""

from __future__ import annotations

from registrar.models import ReRegistration
from registrar.reregistration import services
from tests.factories.identity import UserFactory, api_client, verify_identity
from tests.factories.registrar import birth_answers, make_registration

DETAILS = {
    "father_forenames": "Daniel",
    "father_surname": "Hartley",
    "father_place_of_birth": "Cardiff",
    "father_occupation": "Electrician",
    "other_parent_email": "daniel.rr@example.com",
}


def birth_of_unmarried_mother(mother):
    """A birth registered online by its mother alone (no father named)."""
    from registrar import services as registration_services

    answers = birth_answers(relationship={"parents_married": False, "register_jointly": False}, father=None)
    registration = make_registration(informant=mother, answers=answers)
    return registration_services.register_registration(registration=registration, actor=None)


def reach_documented_statuses(hit) -> None:
    """Every documented status of the re-registration API, for tests/api/test_documented_statuses.py;
    the shared loop there gives the 400, 401, 403 and the 404s of paths with a reference."""
    mother, father = UserFactory(), UserFactory()
    verify_identity(mother)
    verify_identity(father)
    entry = birth_of_unmarried_mother(mother)
    client, other = api_client(mother), api_client(father)
    base = "/api/v1/registrar/re-registrations"
    start = {"entry": entry.entry_reference, "reason": "add_parent"}
    hit(client, "GET", base)
    hit(client, "POST", base, data={**start, "entry": "E-NOWHERE/B/2026/000001"}, format="json")
    reference = hit(client, "POST", base, data=start, format="json").json()["reference"]
    hit(client, "POST", base, data=start, format="json")  # 409: one open at a time
    values = {"reference": reference}
    hit(client, "GET", base + "/{reference}", values)
    for method, path in (("PUT", "/{reference}/details"), ("POST", "/{reference}/confirm")):
        hit(client, method, base + path, values, data="{not json", content_type="application/json")
        hit(client, method, base + path, values, data="x", content_type="text/plain")
    hit(client, "PUT", base + "/{reference}/details", values, data=DETAILS, format="json")
    hit(client, "POST", base + "/{reference}/confirm", values, data={"confirmed": True}, format="json")
    hit(client, "PUT", base + "/{reference}/details", values, data=DETAILS, format="json")  # 409: sent
    hit(client, "POST", base + "/{reference}/confirm", values, data={"confirmed": True}, format="json")  # 409
    token = services.invitation_token(ReRegistration.objects.get(reference=reference))
    forged = {"token": "forged", "confirmed": True, "reason": "Wrong"}
    hit(other, "POST", base + "/invitation/confirm", data=forged, format="json")
    hit(other, "POST", base + "/invitation/decline", data=forged, format="json")
    hit(other, "POST", base + "/invitation/decline", data={"token": token, "reason": "Wrong place"}, format="json")
    hit(other, "POST", base + "/invitation/decline", data={"token": token, "reason": "Wrong place"}, format="json")
    hit(client, "PUT", base + "/{reference}/details", values, data=DETAILS, format="json")
    hit(client, "POST", base + "/{reference}/confirm", values, data={"confirmed": True}, format="json")
    token = services.invitation_token(ReRegistration.objects.get(reference=reference))
    hit(other, "POST", base + "/invitation/confirm", data={"token": token, "confirmed": True}, format="json")
    hit(other, "POST", base + "/invitation/confirm", data={"token": token, "confirmed": True}, format="json")  # 409
    hit(other, "POST", base + "/invitation/decline", data={"token": token, "reason": "Late"}, format="json")  # 409
