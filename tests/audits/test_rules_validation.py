"""audits.rules on peer validation: agreement over every pair of stages (unrated too),
the categories that differ, and "peer validated"."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from audits import rules
from audits.instrument import CATEGORIES, Stage

VALUES = [None, 1, 2, 3, 4]
nine = st.lists(st.sampled_from(VALUES), min_size=9, max_size=9)


def as_stages(values) -> dict[int, int | None]:
    return {c.number: value for c, value in zip(CATEGORIES, values, strict=True)}


def test_a_peer_agrees_only_with_the_same_stage_and_never_when_either_is_unrated():
    for own, peer in itertools.product(VALUES, VALUES):
        expected = own is not None and own == peer
        assert rules.peer_agrees(own, peer) is expected, (own, peer)
    assert rules.peer_agrees(Stage.INTEGRATION, 4)


@given(nine, nine)
def test_disagreements_are_the_categories_not_agreed_in_instrument_order(own, peer):
    found = rules.disagreements(as_stages(own), as_stages(peer))
    assert found == [
        c for c, a, b in zip(CATEGORIES, own, peer, strict=True) if not rules.peer_agrees(a, b)
    ]


@given(nine, nine)
def test_peer_validated_when_the_peer_agrees_on_all_nine(own, peer):
    validated = rules.is_peer_validated(as_stages(own), as_stages(peer))
    assert validated is all(rules.peer_agrees(a, b) for a, b in zip(own, peer, strict=True))


def test_no_validation_or_a_partial_one_never_validates():
    own = as_stages([4] * 9)
    assert not rules.is_peer_validated(own, None)
    assert not rules.is_peer_validated(own, {1: 4, 2: 4})
    assert rules.is_peer_validated(own, as_stages([4] * 9))
