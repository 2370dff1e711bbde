"""The half-year rank assessment as pure functions (issue 8; rules §7.5–7.6): what the
promotion and maintenance feed (reports.promotion) recommends for an agent of a rank, and
which decisions it allows.

Ranks are steps of the catalogue, 1 the lowest (`Rank.order` read in order; the services
number them 1..n so that gaps in `order` do not matter).

[readings]
- A standing of `termination` (24 points and more, or one case of 20) recommends
  `termination_review`, the rank unchanged: the branch decides on the contract (§7.6);
  the contract's end is the departures' business, not a rank.
- Maintenance not passed (`no_maintenance`: a `failed` standing) recommends demotion by
  one step; at the lowest rank there is nothing to demote to, and it recommends
  `termination_review` instead (an agent who cannot keep the lowest rank is reviewed).
- Eligible for promotion (quality passed, objectives met, no `no_promotion`) recommends
  promotion by one step, unless he holds the top rank (then `maintain`). The feed decides
  eligibility only: production criteria (premium, recruits) belong to HR, so the decider
  may still choose `maintain` for an eligible agent.
- Otherwise `maintain`.
- `allowed`: a promotion only when eligible, a maintenance only when maintenance passed;
  a demotion and a termination review are always open to the decider.
"""

from typing import NamedTuple

PROMOTE, MAINTAIN, DEMOTE, TERMINATION_REVIEW = (
    "promote", "maintain", "demote", "termination_review")
OUTCOMES = (PROMOTE, MAINTAIN, DEMOTE, TERMINATION_REVIEW)
TERMINATION = "termination"  # the standing (quality.scoring)


class Feed(NamedTuple):
    """What the rank assessment reads of an agent's row of the promotion feed."""

    standing: str
    promotion_eligible: bool
    maintenance_passed: bool


def recommend(assessment: Feed, rank_order: int, top_order: int,
              bottom_order: int = 1) -> tuple[str, int]:
    """(outcome, the step he would hold after it) for an agent at step `rank_order`."""
    if assessment.standing == TERMINATION:
        return TERMINATION_REVIEW, rank_order
    if not assessment.maintenance_passed:
        if rank_order > bottom_order:
            return DEMOTE, rank_order - 1
        return TERMINATION_REVIEW, rank_order
    if assessment.promotion_eligible and rank_order < top_order:
        return PROMOTE, rank_order + 1
    return MAINTAIN, rank_order


def allowed(outcome: str, assessment: Feed) -> bool:
    """May the decider choose `outcome` against this feed?"""
    if outcome == PROMOTE:
        return assessment.promotion_eligible
    if outcome == MAINTAIN:
        return assessment.maintenance_passed
    return outcome in OUTCOMES


def step_after(outcome: str, rank_order: int, top_order: int,
               bottom_order: int = 1) -> int | None:
    """The step an outcome leads to; None when there is no such step (a promotion from
    the top, a demotion from the bottom)."""
    step = rank_order + {PROMOTE: 1, DEMOTE: -1}.get(outcome, 0)
    return step if bottom_order <= step <= top_order else None
