"""Fictional people: names, national ID numbers and mobile numbers, fast and reproducible.

Faker is slow per call (tens of microseconds), so it only fills the name pools once;
every draw afterwards comes from the seeded `random.Random`, which keeps a million
policies within seconds and makes the output depend on the seed alone.
"""

import datetime as dt
import random
from collections.abc import Callable

from faker import Faker

from .data import MOBILE_PREFIXES

NAME_POOL = 3000
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True))


def name_pools(rng: random.Random) -> tuple[list[str], list[str]]:
    """Male and female Chinese names; the ID number's sex digit must agree with them."""
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(2**32))
    half = NAME_POOL // 2
    return [fake.name_male() for _ in range(half)], [fake.name_female() for _ in range(half)]


def id_number_maker(rng: random.Random) -> Callable[[str, int, bool], str]:
    """A function (region code, birth date ordinal, male) -> a valid 18-digit ID number.

    The GB 11643 check digit is a weighted sum, so the sums of the region and the birth
    date parts are cached: only the 3-digit sequence is new for each person.
    """
    region_sums: dict[str, int] = {}
    births: dict[int, tuple[str, int]] = {}
    seq_weights = _ID_WEIGHTS[14:]
    seq_sums = [_weighted(f"{n:03d}", seq_weights) for n in range(1000)]
    randrange = rng.randrange

    def make(region: str, born: int, male: bool) -> str:
        r = region_sums.get(region)
        if r is None:
            r = region_sums[region] = _weighted(region, _ID_WEIGHTS[:6])
        b = births.get(born)
        if b is None:
            text = dt.date.fromordinal(born).strftime("%Y%m%d")
            b = births[born] = (text, _weighted(text, _ID_WEIGHTS[6:14]))
        seq = randrange(500) * 2 + male  # the 17th digit is odd for men, even for women
        return f"{region}{b[0]}{seq:03d}{_ID_CHECK[(r + b[1] + seq_sums[seq]) % 11]}"

    return make


def mobile_maker(rng: random.Random, taken: set[str]) -> Callable[[], str]:
    """A function giving mobile numbers that are not in `taken` (the agents' own).

    Customers must not share an agent's number by accident: that is a false-information
    case (rules §4.6), which the demo plants on purpose, a few times, elsewhere.
    """
    prefixes = MOBILE_PREFIXES
    choice, randrange = rng.choice, rng.randrange

    def make() -> str:
        while True:
            number = f"{choice(prefixes)}{randrange(100_000_000):08d}"
            if number not in taken:
                return number

    return make


def birth_ordinal(rng: random.Random, on: dt.date, min_age: int, max_age: int) -> int:
    """A birth date giving an age from min_age to max_age (inclusive) on the day `on`."""
    latest = _years_before(on, min_age).toordinal()
    earliest = _years_before(on, max_age + 1).toordinal() + 1
    return rng.randint(earliest, latest)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
