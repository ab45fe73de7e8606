"""Property-based checks: validators never crash, and no JSON body makes the sign-in API
answer with anything but a clear 2xx/4xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from identity.forms import CodeForm, EmailForm, normalise_uk_mobile

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@given(st.text(max_size=40))
def test_mobile_normaliser_returns_a_uk_number_or_none(value):
    result = normalise_uk_mobile(value)
    assert result is None or (result.startswith("+447") and len(result) == 13 and result[1:].isdigit())


@given(st.from_regex(r"\A(\+44|0)7[0-9]{9}\Z"))
def test_every_uk_mobile_shape_is_accepted(value):
    assert normalise_uk_mobile(value) == "+44" + value[-10:]


@given(st.text(max_size=300))
def test_forms_validate_any_text_without_crashing(value):
    EmailForm(data={"email": value}).is_valid()
    form = CodeForm(data={"code": value})
    if form.is_valid():
        assert len(form.cleaned_data["code"]) == 6 and form.cleaned_data["code"].isascii()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["email", "code", "other"]), json_values, max_size=3))
def test_sign_in_api_answers_any_json_with_a_clear_status(body):
    client = APIClient(REMOTE_ADDR=f"10.0.{len(str(body)) % 250}.1")
    for url in ("/api/v1/auth/code", "/api/v1/auth/token"):
        response = client.post(url, body, format="json")
        assert response.status_code in (202, 400, 403, 429), (url, body, response.content)
        if response.status_code >= 400:
            assert "error" in response.json()
