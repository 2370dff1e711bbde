"""A manager's share of his agents' points (issue 8), a setting off at 0: added half-up to
a tenth, and his standing follows the new total (rules §7.6 thresholds)."""

import pytest

from pinzhi.quality.scoring import Score, with_managed_share


@pytest.mark.parametrize(("own", "agents", "percent", "total", "standing"), [
    (30, 400, 0, 30, "good"),  # off
    (30, 400, 10, 70, "warned"),  # 3.0 + 10 % of 40.0 = 7.0
    (0, 25, 10, 3, "good"),  # 0.25 points half-up to 0.3
    (0, 24, 10, 2, "good"),  # 0.24 to 0.2
    (70, 100, 10, 80, "restricted"),
])
def test_the_managers_share(own, agents, percent, total, standing):
    result = with_managed_share(Score(1, own), agents, percent, largest_case_tenths=0)
    assert (result.points_tenths, result.standing) == (total, standing)
    assert result.managed_tenths == total - own
