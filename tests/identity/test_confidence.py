"""The GPG 45-style evaluator: each medium profile is met by exactly its minimums, a near miss
by one point on any element is not, and the answer says what is missing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.confidence import MEDIUM_PROFILES, Evidence, Scores, assess


def _scores_for(profile, **changes):
    evidence = tuple(Evidence(s, v, "doc") for s, v in profile.evidence)
    values = dict(evidence=evidence, activity=profile.activity, fraud=profile.fraud, verification=profile.verification)
    values.update(changes)
    return Scores(**values)


@pytest.mark.parametrize("profile", MEDIUM_PROFILES, ids=lambda p: p.name)
def test_each_profile_is_met_at_its_minimums(profile):
    result = assess(_scores_for(profile))
    assert result.medium and result.level == "medium"


NEAR_MISSES = [
    (profile, element)
    for profile in MEDIUM_PROFILES
    for element in ("activity", "fraud", "verification")
    if getattr(profile, element) > 0
]


@pytest.mark.parametrize("profile, element", NEAR_MISSES, ids=lambda v: getattr(v, "name", v))
def test_one_point_short_on_an_element_is_not_this_profile(profile, element):
    need = getattr(profile, element)
    result = assess(_scores_for(profile, **{element: need - 1}))
    assert result.profile != profile.name or not result.medium


def test_scores_are_not_added_together():
    # A very strong passport cannot make up for no verification at all.
    result = assess(Scores(evidence=(Evidence(4, 4, "passport"),), activity=4, fraud=4, verification=0))
    assert not result.medium
    assert [s.element for s in result.missing] == ["verification"]
    assert result.missing[0].need == "2" and "photo of your face" in result.missing[0].advice


def test_a_passport_checked_as_genuine_and_matched_to_the_person_reaches_medium_by_m1a():
    result = assess(Scores(evidence=(Evidence(4, 2, "passport"),), activity=0, fraud=1, verification=2))
    assert result.medium and result.profile == "M1A"


def test_licence_alone_says_what_to_add():
    result = assess(Scores(evidence=(Evidence(3, 2, "licence"),), activity=0, fraud=1, verification=2))
    assert not result.medium
    # A licence cannot become a passport: the nearest route is more activity and fraud checks.
    assert result.profile == "M1B"
    assert {s.element for s in result.missing} == {"activity", "fraud"}
    assert all(s.advice for s in result.missing)


def test_one_piece_of_evidence_cannot_fill_two_requirements():
    result = assess(Scores(evidence=(Evidence(3, 2, "licence"),), activity=1, fraud=1, verification=2))
    # M2B needs 3/2 and 2/2 from two different documents; M1B needs fraud 2.
    assert not result.medium
    assert result.profile in {"M1B", "M2B"}


def test_nothing_at_all_points_to_the_easiest_profile_with_every_element():
    result = assess(Scores(evidence=(), activity=0, fraud=0, verification=0))
    assert not result.medium
    assert {s.element for s in result.missing} >= {"evidence", "verification"}


score = st.integers(min_value=0, max_value=4)


@given(
    st.lists(st.tuples(score, score), max_size=4),
    score,
    score,
    score,
)
def test_medium_iff_some_profile_is_met_and_missing_is_empty_only_then(evidence, activity, fraud, verification):
    scores = Scores(
        evidence=tuple(Evidence(s, v) for s, v in evidence), activity=activity, fraud=fraud, verification=verification
    )
    result = assess(scores)
    assert result.medium == (result.missing == ())
    if not result.medium:
        # Raising every short element to what the closest profile needs reaches medium.
        pieces = ("evidence", "validity")
        needs = {s.element: int(s.need) for s in result.missing if s.element not in pieces}
        extra = tuple(Evidence(*map(int, s.need.split("/"))) for s in result.missing if s.element in pieces)
        lifted = Scores(
            evidence=scores.evidence + extra,
            activity=max(activity, needs.get("activity", 0)),
            fraud=max(fraud, needs.get("fraud", 0)),
            verification=max(verification, needs.get("verification", 0)),
        )
        assert assess(lifted).medium


def test_a_passport_only_checked_for_consistency_falls_short_on_validity_not_evidence():
    # Typed machine readable lines and a photo of the page earn validity 1 (identity/scoring.py).
    result = assess(Scores(evidence=(Evidence(4, 1, "passport"),), activity=0, fraud=1, verification=2))
    assert not result.medium and result.profile == "M1A"
    assert [(s.element, s.have, s.need) for s in result.missing] == [("validity", "4/1", "4/2")]
    assert "genuine" in result.missing[0].advice and result.missing[0].name
