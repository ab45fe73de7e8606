"""The pages a citizen loads most (the start of every journey, the health check the load balancer
polls, the order page that refreshes itself while the PDF is made, the list of their orders)
take a small, fixed number of queries, however many orders the person has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import CertificateOrder
from tests.factories.certificates import paid_certificate_order
from tests.factories.identity import RegisterOfficeFactory, UserFactory
from tests.factories.registrar import historic_birth

pytestmark = pytest.mark.django_db

# The most each page may take for a signed-in person: the session and user, the page's own
# reads, and the cookie-consent and feature flags the base layout reads.
START_PAGES = {
    "/": 4,
    "/healthz": 1,
    "/sign-in/": 4,
    "/register/": 4,
    "/identity/": 6,
    "/book/": 4,
    "/certificates/": 4,
}


@pytest.fixture
def person(client):
    user = UserFactory(full_name="Robin Applicant")
    client.force_login(user)
    return user


def _orders(person, count: int) -> list[CertificateOrder]:
    office = RegisterOfficeFactory()
    return [
        paid_certificate_order(historic_birth(office, forenames=f"Ada {number}"), person=person)
        for number in range(count)
    ]


@pytest.mark.parametrize("path", sorted(START_PAGES))
def test_a_journeys_start_page_takes_a_few_queries(client, person, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(START_PAGES[path]):
        response = client.get(path, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code in (200, 302), (path, response.status_code)


def test_the_list_of_orders_takes_as_many_queries_for_five_orders_as_for_one(
    client, person, django_assert_max_num_queries
):
    _orders(person, 1)
    with django_assert_max_num_queries(20) as one:
        first = client.get(reverse("certificates:mine"))
    assert first.content.decode().count("Ada 0") == 1
    _orders(person, 4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("certificates:mine"))
    page = response.content.decode()
    assert all(f"Ada {number}" in page for number in range(4))


def test_the_order_page_refreshing_while_the_pdf_is_made_takes_a_few_queries(
    client, person, django_assert_max_num_queries
):
    (order,) = _orders(person, 1)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:order", args=[order.reference]))
    assert response.status_code == 200
    assert order.reference in response.content.decode()
