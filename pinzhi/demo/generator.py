"""The demo company: the feed files (units, agents, products, policies, the call
centre's callbacks, the paper the agents owe: receipts, valuable documents, notices,
and the cases people found).

The files are exactly the import formats of the interfaces contract, so the demo is loaded
through the same import engine as a real insurer's feeds. Same seed and `until` date,
same bytes: every random draw comes from one `random.Random(seed)` (or a stream seeded
from it at a fixed point), in a fixed order, and nothing iterates over a set or a dict
of strings.
"""

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

from . import data
from .callbacks import CallbackWriter
from .cases import CaseWriter
from .data import PRODUCTS, SIZES, City
from .paper import PaperWriter
from .people import birth_ordinal, id_number_maker, mobile_maker, name_pools
from .policies import PolicyWriter, day_weights

UNIT_COLUMNS = ["code", "name", "parent_code", "level", "phones"]
AGENT_COLUMNS = [
    "agent_code", "name", "id_number", "phone", "unit_code", "rank", "hired_on", "status",
    "left_on",
]
PRODUCT_COLUMNS = ["product_code", "name", "kind", "long_term", "cooling_off_days"]
# Also the order of loading: the callback files name policies only; the attempts come
# last of them, so that the requests and updates they depend on are known. The paper
# files name policies and agents; the cases, agents and policies.
FILES = ("units", "agents", "products", "policies", "callback_requests", "contact_updates",
         "callback_attempts", "receipts", "valuable_documents", "notices", "cases")
CALLBACK_FILES = ("callback_requests", "contact_updates", "callback_attempts")
PAPER_FILES = ("receipts", "valuable_documents", "notices")


@dataclass
class Unit:
    code: str
    name: str
    parent_code: str
    level: str
    phones: str = ""
    city: City | None = None


@dataclass(slots=True)
class Agent:
    code: str
    name: str
    id_number: str
    phone: str
    team: Unit
    rank: str
    hired_on: dt.date
    left_on: dt.date | None
    weight: float = 1.0  # relative sales
    last_customer: tuple | None = field(default=None)  # for repeat purchases


@dataclass
class Result:
    out_dir: Path
    counts: dict[str, int]

    def path(self, kind: str) -> Path:
        return self.out_dir / f"{kind}.csv"


def generate(out_dir, *, size="small", seed=1, until=None, agents=None, policies=None,
             cases=None):
    """Write the FILES (units.csv, agents.csv, …, cases.csv) into out_dir; return a Result.

    `agents`, `policies` and `cases` override the size's targets (the tests build a tiny
    company); without `cases`, the size's cases scale with the number of agents. The
    cases, the callbacks and the paper each draw from their own stream: the paper, added
    last, leaves every other file as it was.
    """
    spec = SIZES[size]
    until = until or dt.date.today()
    n_agents = agents if agents is not None else spec.agents
    n_policies = policies if policies is not None else spec.policies
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng, (males, females), make_id, units, agent_list = _plan(spec, seed, until, n_agents)
    counts = {
        "units": write_csv(out / "units.csv", UNIT_COLUMNS, (_unit_row(u) for u in units)),
        "agents": write_csv(out / "agents.csv", AGENT_COLUMNS, (_agent_row(a) for a in agent_list)),
        "products": write_csv(out / "products.csv", PRODUCT_COLUMNS, map(_product_row, PRODUCTS)),
    }
    writer = PolicyWriter(rng, agent_list, units, (males, females), make_id, until)
    days = working_days_of_year(until)
    if spec.months:
        days = [d for d in days if d >= months_start(until, spec.months)]
    per_day = apportion(n_policies, day_weights(rng, days)) if days else []
    counts["policies"] = writer.write(out / "policies.csv", days, per_day)
    # The files written from the policies draw from streams of their own, seeded here in
    # a fixed order: a change to one of them leaves the others' bytes as they were.
    case_rng, callback_rng, paper_rng = (random.Random(rng.getrandbits(64)) for _ in range(3))
    n_cases = cases if cases is not None else round(spec.cases * n_agents / spec.agents)
    case_writer = CaseWriter(case_rng, agent_list, until, year_start(until))
    counts["cases"] = case_writer.write(out / "cases.csv", out / "policies.csv", n_cases)
    callback_writer = CallbackWriter(callback_rng, agent_list, units, (males, females), until)
    counts.update(callback_writer.write(out / "policies.csv", out))
    counts.update(PaperWriter(paper_rng, agent_list, until).write(out / "policies.csv", out))
    return Result(out, counts)


def _plan(spec: data.Size, seed: int, until: dt.date, n_agents: int):
    """The first draws of the seed: (rng, names, make_id, units, agents)."""
    rng = random.Random(seed)
    names = name_pools(rng)
    make_id = id_number_maker(rng)
    units, teams = plan_units(rng, spec, n_agents)
    return rng, names, make_id, units, plan_agents(rng, teams, n_agents, until, names, make_id)


def company_agents(*, size="small", seed=1, until: dt.date, agents=None) -> list[Agent]:
    """The agents `generate` plans for the same arguments (without writing anything), for
    a file drawn apart from the demo's, such as a benchmark's cases at a larger scale."""
    spec = SIZES[size]
    return _plan(spec, seed, until, agents if agents is not None else spec.agents)[4]


def write_csv(path: Path, columns: list[str], rows) -> int:
    """Stream rows to a UTF-8 CSV with a header; return the number of rows."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


# --- calendar ----------------------------------------------------------------------


def year_start(until: dt.date) -> dt.date:
    """The first day of the year of policies that ends on `until`."""
    try:
        return until.replace(year=until.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return until.replace(year=until.year - 1, day=28) + dt.timedelta(days=1)


def is_working_day(day: dt.date) -> bool:
    """The State Council calendar where the library knows the year, else Monday-Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def months_start(until: dt.date, months: int) -> dt.date:
    """The first day of the calendar month `months - 1` months before `until`'s."""
    year, month = divmod(until.year * 12 + until.month - 1 - (months - 1), 12)
    return dt.date(year, month + 1, 1)


def working_days_of_year(until: dt.date) -> list[dt.date]:
    start = year_start(until)
    days = (start + dt.timedelta(days=i) for i in range((until - start).days + 1))
    return [d for d in days if is_working_day(d)]


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each at least `minimum`."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError("total too small for the minimum")
    whole = sum(weights)
    shares = [spare * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [c + minimum for c in counts]


# --- the organisation --------------------------------------------------------------


def numeral(n: int) -> str:
    """1..99 in Chinese numerals (一, 十一, 二十三), for team and office names."""
    digits = data.CHINESE_NUMERALS
    if n <= 10:
        return digits[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else digits[tens - 1] + "十"
    return head + (digits[ones - 1] if ones else "")


def landline_maker(rng: random.Random):
    """Unique 8-digit landlines behind a city's area code (020-83981234, 0755-26661234)."""
    taken: set[str] = set()

    def make(area: str) -> str:
        while True:
            number = f"{area}-{rng.randint(2, 8)}{rng.randrange(10**7):07d}"
            if number not in taken:
                taken.add(number)
                return number

    return make


def plan_units(rng: random.Random, spec: data.Size, n_agents: int):
    """The tree HQ > branches > sub-branches (cities) > offices > teams; (units, teams)."""
    n_teams = max(1, round(n_agents / data.AGENTS_PER_TEAM))
    provinces = [p for p in data.PROVINCES if p.code in spec.provinces]
    cities = [(p, c) for p in provinces for c in p.cities[: spec.max_cities]]
    cities = cities[: max(1, min(len(cities), n_teams // data.TEAMS_PER_OFFICE))]
    landline = landline_maker(rng)
    units = [Unit("HQ", "总公司", "", "hq")]
    teams: list[Unit] = []
    per_city = apportion(n_teams, [c.weight for _, c in cities], minimum=1)
    for province in provinces:
        mine = [(c, n) for (p, c), n in zip(cities, per_city, strict=True) if p is province]
        if not mine:
            continue
        area = province.cities[0].area_code
        phones = f"{landline(area)};{landline(area)}"
        units.append(Unit(province.code, f"{province.name}分公司", "HQ", "branch", phones))
        for city, n_city_teams in mine:
            units.extend(_city_units(rng, landline, province.code, city, n_city_teams, teams))
    return units, teams


def _city_units(rng, landline, branch_code, city, n_teams, teams):
    """A sub-branch with its offices (named after districts) and their teams."""
    phones = ";".join(landline(city.area_code) for _ in range(rng.randint(1, 2)))
    yield Unit(city.code, f"{city.name}支公司", branch_code, "subbranch", phones, city)
    n_offices = math.ceil(n_teams / data.TEAMS_PER_OFFICE)
    for i, n_office_teams in enumerate(apportion(n_teams, [1.0] * n_offices, minimum=1)):
        district = city.districts[i % len(city.districts)][1]
        repeat = i // len(city.districts)  # a second office in the same district
        nth = numeral(repeat + 1)
        office_name = f"{district}第{nth}营业部" if repeat else f"{district}营业部"
        prefix = f"{district}{nth}部" if repeat else district
        office_code = f"{city.code}{i + 1:02d}"
        yield Unit(office_code, office_name, city.code, "office", landline(city.area_code), city)
        for j in range(n_office_teams):
            team = Unit(f"{office_code}{j + 1:02d}", f"{prefix}{numeral(j + 1)}组", office_code,
                        "team", "", city)
            teams.append(team)
            yield team


def _unit_row(u: Unit) -> list[str]:
    return [u.code, u.name, u.parent_code, u.level, u.phones]


# --- the agents ----------------------------------------------------------------------


def plan_agents(rng, teams, n_agents, until, names, make_id) -> list[Agent]:
    """Every team: its manager (业务经理) first, then members; an office head in team 1."""
    heads = {t.code for t in teams if t.code.endswith("01")}
    n_members = max(0, n_agents - len(teams) - len(heads))
    team_weights = [rng.uniform(0.5, 1.5) for _ in teams]
    members = [0] * len(teams)
    for i in rng.choices(range(len(teams)), weights=team_weights, k=n_members):
        members[i] += 1
    people = _AgentFactory(rng, until, names, make_id)
    agents: list[Agent] = []
    for team, n in zip(teams, members, strict=True):
        agents.append(people.make(team, data.MANAGER))
        if team.code in heads:
            agents.append(people.make(team, data.SENIOR_MANAGER))
        ranks, weights = zip(*data.MEMBER_RANKS, strict=True)
        for rank in rng.choices(ranks, weights=weights, k=n):
            agents.append(people.make(team, rank))
    return agents


class _AgentFactory:
    """Agents with unique ID numbers and phones; codes numbered per branch."""

    TERMINATED_SHARE = 0.09

    def __init__(self, rng, until, names, make_id):
        self.rng, self.until, self.names, self.make_id = rng, until, names, make_id
        self.start = year_start(until)
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.mobile = mobile_maker(rng, self.phones)
        self.serial = 100000

    def make(self, team: Unit, rank: str) -> Agent:
        rng = self.rng
        leader = rank in (data.MANAGER, data.SENIOR_MANAGER)
        male = rng.random() < 0.45  # the agency force is mostly women
        born = birth_ordinal(rng, self.until, 28 if leader else 20, 55 if leader else 60)
        id_number = self._unique_id(team.city, born, male)
        phone = self.mobile()
        self.phones.add(phone)
        hired_on = self._hired_on(born, leader)
        left_on = None
        if not leader and rng.random() < self.TERMINATED_SHARE:
            earliest = max(hired_on + dt.timedelta(days=30), self.start).toordinal()
            if earliest <= self.until.toordinal():
                left_on = dt.date.fromordinal(rng.randint(earliest, self.until.toordinal()))
        self.serial += 1
        branch = _branch_code(team)
        weight = data.RANK_PRODUCTIVITY[rank] * rng.lognormvariate(0, 0.8)
        name = rng.choice(self.names[0] if male else self.names[1])
        return Agent(f"{branch}{self.serial}", name, id_number, phone, team, rank, hired_on,
                     left_on, weight)

    def _unique_id(self, city: City, born: int, male: bool) -> str:
        while True:
            region = self.rng.choice(city.districts)[0]
            number = self.make_id(region, born, male)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _hired_on(self, born: int, leader: bool) -> dt.date:
        """Hired at 20 or older, within 12 years; leaders 3 years ago or more; some new."""
        until = self.until.toordinal()
        adult = born + 20 * 366
        earliest = max(adult, until - 12 * 365)
        latest = until - (3 * 365 if leader else 20)
        if not leader and self.rng.random() < 0.2:
            earliest = max(adult, self.start.toordinal())
        return dt.date.fromordinal(self.rng.randint(min(earliest, latest), latest))


def _branch_code(team: Unit) -> str:
    for province in data.PROVINCES:
        if team.city in province.cities:
            return province.code
    raise ValueError(team.code)


def _agent_row(a: Agent) -> list[str]:
    status = "terminated" if a.left_on else "active"
    left_on = a.left_on.isoformat() if a.left_on else ""
    return [a.code, a.name, a.id_number, a.phone, a.team.code, a.rank, a.hired_on.isoformat(),
            status, left_on]


def _product_row(p: data.ProductSpec) -> list[str]:
    return [p.code, p.name, p.kind, "true" if p.long_term else "false", str(p.cooling_off_days)]


def default_out_dir(size: str, seed: int) -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "demo" / f"{size}-{seed}"
