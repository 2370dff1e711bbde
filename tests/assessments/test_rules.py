"""The rank assessment's rules, one row per rule (no database)."""

import pytest

from pinzhi.assessments.rules import (
    DEMOTE,
    MAINTAIN,
    PROMOTE,
    TERMINATION_REVIEW,
    Feed,
    allowed,
    recommend,
    step_after,
)

GOOD_ELIGIBLE = Feed("good", True, True)
GOOD_SHORT = Feed("good", False, True)  # an objective missed: no promotion
RESTRICTED = Feed("restricted", False, True)
FAILED = Feed("failed", False, False)
TERMINATION = Feed("termination", False, False)


@pytest.mark.parametrize("feed, step, expected", [
    (TERMINATION, 3, (TERMINATION_REVIEW, 3)),  # termination: reviewed, rank unchanged
    (TERMINATION, 1, (TERMINATION_REVIEW, 1)),
    (FAILED, 3, (DEMOTE, 2)),  # maintenance failed: one step down
    (FAILED, 1, (TERMINATION_REVIEW, 1)),  # ... the lowest rank: reviewed instead
    (GOOD_ELIGIBLE, 2, (PROMOTE, 3)),  # eligible: one step up
    (GOOD_ELIGIBLE, 5, (MAINTAIN, 5)),  # ... unless at the top
    (GOOD_SHORT, 2, (MAINTAIN, 2)),  # not eligible, maintenance passed
    (RESTRICTED, 4, (MAINTAIN, 4)),
])
def test_recommend(feed, step, expected):
    assert recommend(feed, step, 5) == expected


@pytest.mark.parametrize("outcome, feed, expected", [
    (PROMOTE, GOOD_ELIGIBLE, True),
    (PROMOTE, GOOD_SHORT, False),  # promotion only when the feed allows it
    (MAINTAIN, GOOD_ELIGIBLE, True),  # eligible, yet HR may keep him (production)
    (MAINTAIN, FAILED, False),  # maintenance only when passed
    (MAINTAIN, TERMINATION, False),
    (DEMOTE, GOOD_ELIGIBLE, True),  # a demotion and a review are always open
    (TERMINATION_REVIEW, GOOD_SHORT, True),
    ("fire", GOOD_ELIGIBLE, False),  # not an outcome
])
def test_allowed(outcome, feed, expected):
    assert allowed(outcome, feed) is expected


@pytest.mark.parametrize("outcome, step, expected", [
    (PROMOTE, 2, 3), (PROMOTE, 5, None), (DEMOTE, 2, 1), (DEMOTE, 1, None),
    (MAINTAIN, 1, 1), (TERMINATION_REVIEW, 5, 5),
])
def test_step_after(outcome, step, expected):
    assert step_after(outcome, step, 5) == expected
