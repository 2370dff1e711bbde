"""The year of policies: one row per policy, streamed in printing order.

This is the hot loop of the demo (a million rows for the large company), so dates are
ordinals with their ISO text cached, every draw is a bound method of the one seeded
`random.Random`, and nothing is kept per policy.
"""

import csv
import datetime as dt
import itertools

from . import data
from .data import ALL_CITIES, PRODUCTS
from .people import mobile_maker

POLICY_COLUMNS = [
    "policy_no", "agent_code", "product_code", "applicant_name", "applicant_id_number",
    "applicant_phone", "insured_name", "insured_id_number", "premium", "payment_mode",
    "commission", "signed_on", "printed_on", "effective_on", "status", "status_on",
]
CHILD_PRODUCTS = ("TR104", "HE502")  # the insured is a child of the applicant
# Shares of policies (rates of their own population where noted).
SELF_INSURED = 0.01  # the agent insures himself (allowed, rules §4.6)
REPEAT_CUSTOMER = 0.08  # the agent's previous customer buys again
SHARED_PHONE = 0.005  # a family or shop number given by several applicants
AGENT_PHONE = 0.0004  # planted false information (rules §4.6): the agent's own number
UNIT_PHONE = 0.0001  # planted false information: the office's landline
INSURED_OTHER = 0.35
CANCELLED = 0.037  # of long-term policies: ~3% of all
SURRENDERED = 0.006  # of long-term policies
LAPSED = 0.08  # of monthly-paid policies
YEAR = 365.2425


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def day_weights(rng, days: list[dt.date]) -> list[float]:
    """Sales by day: the new-year drive (开门红) and quarter ends sell more."""
    weights = []
    for d in days:
        w = 1.6 if d.month <= 3 else 1.0
        if d.month in (6, 9, 12) and d.day > 20:
            w *= 1.4
        weights.append(w * rng.uniform(0.8, 1.2))
    return weights


class PolicyWriter:
    def __init__(self, rng, agents, units, names, make_id, until: dt.date):
        self.rng, self.agents, self.names, self.make_id = rng, agents, names, make_id
        self.until = until.toordinal()
        self.mobile = mobile_maker(rng, {a.phone for a in agents})
        self.office_phones = {u.code: u.phones for u in units if u.level == "office"}
        self.shared = [self.mobile() for _ in range(max(3, len(agents) // 100))]
        self.agent_cum = list(itertools.accumulate(
            a.weight * (0.6 if a.left_on else 1.0) for a in agents
        ))
        self.product_cum = list(itertools.accumulate(p.weight for p in PRODUCTS))
        self.eligible = [
            (a.hired_on.toordinal() + 10, a.left_on.toordinal() if a.left_on else 10**9)
            for a in agents
        ]
        self.index = {id(a): i for i, a in enumerate(agents)}
        self.iso: dict[int, str] = {}
        self.serial: dict[int, int] = {}

    def write(self, path, days: list[dt.date], counts: list[int]) -> int:
        """Stream the policies printed on each day (counts[i] on days[i])."""
        written = 0
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(POLICY_COLUMNS)
            for day, count in zip(days, counts, strict=True):
                printed = day.toordinal()
                picks = self.rng.choices(self.agents, cum_weights=self.agent_cum, k=count)
                writer.writerows(self.row(self.active(a, printed), printed) for a in picks)
                written += count
        return written

    def active(self, agent, printed: int):
        """The agent if he could sell on that day, else another one who could."""
        rng, agents, cum = self.rng, self.agents, self.agent_cum
        for _ in range(100):
            hired, left = self.eligible[self.index[id(agent)]]
            if hired <= printed < left:
                return agent
            agent = rng.choices(agents, cum_weights=cum)[0]
        return next(a for a, (h, lf) in zip(agents, self.eligible, strict=True)
                    if h <= printed < lf)

    def date(self, ordinal: int) -> str:
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def policy_no(self, printed: int) -> str:
        """P + printing year + 8 digits, rising with small gaps (numbers voided at print)."""
        year = dt.date.fromordinal(printed).year
        serial = self.serial.get(year)
        if serial is None:
            serial = self.rng.randint(10_000_000, 19_999_999)
        serial += self.rng.randint(1, 3)
        self.serial[year] = serial
        return f"P{year}{serial:08d}"

    def row(self, agent, printed: int) -> list[str]:
        rng = self.rng
        product = rng.choices(PRODUCTS, cum_weights=self.product_cum)[0]
        signed = printed - rng.randint(1, 10)
        effective = signed + rng.randint(0, printed - signed)
        applicant = self.applicant(agent, printed)
        insured = self.insured(agent, applicant, printed, product.code)
        premium, mode, commission = self.premium(product)
        status, status_on = self.status(product, mode, printed, effective)
        return [
            self.policy_no(printed), agent.code, product.code, applicant[0], applicant[1],
            applicant[2], insured[0], insured[1], money(premium), mode, money(commission),
            self.date(signed), self.date(printed), self.date(effective), status,
            self.date(status_on) if status_on else "",
        ]

    def person(self, agent, printed: int, min_age: int, max_age: int, male=None):
        """(name, ID number, male): most customers were born in the agent's city."""
        rng = self.rng
        if male is None:
            male = rng.random() < 0.45
        city = agent.team.city if rng.random() < 0.85 else rng.choice(ALL_CITIES)
        region = rng.choice(city.districts)[0]
        # Age from min_age to max_age in whole years on the printing day.
        born = printed - rng.randint(int(min_age * YEAR) + 1, int((max_age + 1) * YEAR) - 1)
        name = rng.choice(self.names[0] if male else self.names[1])
        return name, self.make_id(region, born, male), male

    def applicant(self, agent, printed: int) -> tuple[str, str, str, bool]:
        rng = self.rng
        if rng.random() < SELF_INSURED:
            return agent.name, agent.id_number, agent.phone, int(agent.id_number[16]) % 2 == 1
        if agent.last_customer and rng.random() < REPEAT_CUSTOMER:
            return agent.last_customer
        name, id_number, male = self.person(agent, printed, 22, 65)
        r = rng.random()
        if r < SHARED_PHONE:
            phone = rng.choice(self.shared)
        elif r < SHARED_PHONE + AGENT_PHONE:
            phone = agent.phone
        elif r < SHARED_PHONE + AGENT_PHONE + UNIT_PHONE:
            phone = self.office_phones[agent.team.parent_code].split(";")[0]
        else:
            phone = self.mobile()
        agent.last_customer = (name, id_number, phone, male)
        return agent.last_customer

    def insured(self, agent, applicant, printed: int, product_code: str) -> tuple[str, str]:
        """The applicant himself, or his child, spouse or parent (with his surname if a child)."""
        rng = self.rng
        child = product_code in CHILD_PRODUCTS
        if not child and rng.random() >= INSURED_OTHER:
            return applicant[0], applicant[1]
        r = 0.0 if child else rng.random()
        if r < 0.55:
            name, id_number, _ = self.person(agent, printed, 0, 17)
            return applicant[0][0] + name[1:], id_number
        if r < 0.85:
            name, id_number, _ = self.person(agent, printed, 22, 65, male=not applicant[3])
            return name, id_number
        name, id_number, _ = self.person(agent, printed, 50, 75)
        return name, id_number

    def premium(self, product) -> tuple[int, str, int]:
        """(annualised premium in fen, payment mode, first-year commission in fen)."""
        rng = self.rng
        r = rng.random()
        mode = "single" if r < product.single_share else (
            "monthly" if r < product.single_share + product.monthly_share else "annual")
        yuan = product.median * rng.lognormvariate(0, product.sigma)
        yuan = min(max(yuan, product.median / 5), product.median * 8)
        if mode == "single":
            yuan *= data.SINGLE_PREMIUM_FACTOR
        fen = int(yuan * 100)
        if mode == "monthly":
            fen -= fen % 12  # twelve equal monthly premiums
        rate = data.SINGLE_RATE_BP if mode == "single" else product.rate_bp
        return fen, mode, (fen * rate + 5000) // 10000  # half-up at the fen

    def status(self, product, mode: str, printed: int, effective: int) -> tuple[str, int]:
        """Cancellations inside the cooling-off period, some surrenders and lapses."""
        rng, until = self.rng, self.until
        if product.long_term:
            r = rng.random()
            if r < CANCELLED:
                room = min(product.cooling_off_days, until - printed)
                if room >= 1:
                    return "cooling_off_cancelled", printed + rng.randint(1, room)
            elif r < CANCELLED + SURRENDERED:
                earliest = printed + product.cooling_off_days + 10
                if earliest <= until:
                    return "surrendered", rng.randint(earliest, until)
        if mode == "monthly" and rng.random() < LAPSED:
            earliest = effective + 92  # two missed months and the 60-day grace period
            if earliest <= until:
                return "lapsed", rng.randint(earliest, until)
        return "in_force", 0
