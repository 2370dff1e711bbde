"""The year's quality cases (rules §7), in the `cases` import format (interfaces.md).

A realistic mix: most cases are small and mechanical (receipts not returned, valuable
documents overdue, notices late), a few are serious complaints (benefits promised), a
few more come from claim investigations. The cases that rules produce are not made up
here: the callbacks' findings (forged signatures, misleading sales, investment risk
concealed) are drafted by the import of the demo's callback attempts, and the false
customer information by the import of its policies (callbacks.py, policies.py).
Violations are concentrated: each agent has a propensity drawn from a heavy-tailed
distribution, so most agents have none or a few points a half-year and a few reach
every standing of rules §7.6. Overdue documents come in bursts, some of
more than 10 in a half-year (the tier of items 16/17).

Cases tied to a policy are drawn from the policies file just written (one streaming
pass, reservoir-sampled per agent), so they name real policies of the same agent. Every
draw comes from the generator's one `random.Random`, after the policies: the policies
file does not change, and the same seed and `until` give the same bytes.
"""

import csv
import datetime as dt
import itertools
from dataclasses import dataclass

from . import data

CASE_COLUMNS = ["case_no", "agent_code", "violation_code", "occurred_on", "policy_no",
                "found_on", "status", "evidence"]

# Share of the cases by violation type (they add up to 1).
SHARES = (
    ("receipt_not_returned", 0.35),
    ("documents_overdue", 0.31),
    ("notice_late", 0.24),
    ("claim_noncooperation", 0.0995),
    ("benefit_promised", 0.0005),
)
ON_POLICY = ("receipt_not_returned", "benefit_promised")
FOUND_BY_PEOPLE = ("claim_noncooperation", "benefit_promised")
# Agents' propensity to violate: log-normal, capped (no agent has hundreds of cases).
PROPENSITY_SIGMA, PROPENSITY_CAP = 2.0, 40.0
HOARDERS = 0.25  # share of agents who keep valuable documents too long
RECENT_DAYS = 30  # findings of the last month are more often still drafts
DRAFT_RECENT, DRAFT_OLD, DRAFT_RULE = 0.6, 0.04, 0.01
# Overdue documents of one burst: mostly one to a few, sometimes more than ten.
BURST_SIZES = (1, 2, 3, 4, 5, 6, 8, 11, 13, 16, 20)
BURST_WEIGHTS = (30, 18, 12, 9, 7, 5, 4, 3, 2, 1.5, 1)
BURST_SPAN_DAYS = 75

DOCUMENT_KINDS = (("投保单", "TB"), ("保费暂收收据", "ZS"), ("保险卡", "BK"),
                  ("人身保险投保提示书", "TS"))
NOTICE_KINDS = ("问题件通知书", "契约调查通知书", "保全批单", "体检通知书", "补充告知通知书",
                "续期缴费提醒函", "理赔补充材料通知书")
CLAIM_TEXTS = (
    "理赔调查中拒不提供出险客户的就诊医院及经治医生线索，致保险事故无法认定",
    "调查人员多次约访未到，且隐瞒客户既往住院情况，致保险事故不能认定",
    "理赔调查中拒绝陪同走访客户，亦不提供客户联系方式",
    "隐瞒客户投保前已确诊的病史线索，理赔调查无法核实出险经过",
)
BENEFIT_TEXTS = (
    "客户投诉：业务员承诺返还首年保费的{}%作为回扣",
    "客户投诉：业务员承诺投保后赠送价值{}00元的购物卡",
    "客户来电投诉：业务员承诺保单分红每年不低于{}%",
)


@dataclass(slots=True)
class _Case:
    code: str
    agent: object
    occurred: int  # ordinal
    found: int
    policy_no: str = ""
    evidence: str = ""
    draft: bool = False


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of month, clamped to the month's last day (rules §5: 01-31 + 3 → 04-30)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError(day)


class CaseWriter:
    def __init__(self, rng, agents, until: dt.date, start: dt.date):
        self.rng, self.agents = rng, agents
        self.until, self.start = until.toordinal(), start.toordinal()
        # Each agent's window: the days of the year he was an agent.
        self.window = [(max(a.hired_on.toordinal(), self.start),
                        min(a.left_on.toordinal() if a.left_on else self.until, self.until))
                       for a in agents]
        self.long_term = {p.code for p in data.PRODUCTS if p.long_term}
        self.iso: dict[int, str] = {}

    def write(self, path, policies_path, total: int) -> int:
        rng, agents = self.rng, self.agents
        active = [max(0, hi - lo + 1) / 365 for lo, hi in self.window]
        propensity = [min(PROPENSITY_CAP, rng.lognormvariate(0, PROPENSITY_SIGMA)) * share
                      for share in active]
        targets = dict(zip([c for c, _ in SHARES],
                           _apportion(total, [s for _, s in SHARES]), strict=True))
        cases: list[_Case] = []
        # Policy-bound cases: receipts scale with sales, findings with the propensity.
        sales = [p * a.weight for p, a in zip(propensity, agents, strict=True)]
        need = [dict() for _ in agents]
        for code in ON_POLICY:
            weights = sales if code == "receipt_not_returned" else propensity
            for i in self._pick(weights, targets[code]):
                need[i][code] = need[i].get(code, 0) + 1
        picked = self._sample_policies(policies_path, need)
        short = 0
        for i, wanted in enumerate(need):
            pool = picked.get(i, [])
            for code, n in sorted(wanted.items()):
                for _ in range(n):
                    if pool:
                        cases.append(self._on_policy(code, agents[i], pool.pop()))
                    else:
                        short += 1  # too few policies: a late notice instead
        cases += self._documents(targets["documents_overdue"])
        for i in self._pick(propensity, targets["notice_late"] + short):
            cases.append(self._notice(i))
        for i in self._pick(propensity, targets["claim_noncooperation"]):
            cases.append(self._claim(i))
        cases.sort(key=lambda c: (c.found, c.occurred, c.agent.code, c.code, c.policy_no,
                                  c.evidence))
        return self._write(path, cases)

    # -- drawing ----------------------------------------------------------------------

    def _pick(self, weights, k: int) -> list[int]:
        """k agent indexes, with replacement, in proportion to `weights`."""
        if k <= 0 or not any(weights):
            return []
        return self.rng.choices(range(len(weights)), cum_weights=list(
            itertools.accumulate(weights)), k=k)

    def _day(self, i: int, lo: int | None = None, hi: int | None = None) -> int:
        first, last = self.window[i]
        return self.rng.randint(max(first, lo or first), min(last, hi or last))

    def _sample_policies(self, policies_path, need) -> dict[int, list]:
        """Per agent, a uniform sample of his long-term policies (not cancelled in the
        cooling-off period) whose receipt deadline passed while he was an agent."""
        rng, index = self.rng, {a.code: i for i, a in enumerate(self.agents)}
        wanted = {i: sum(n.values()) for i, n in enumerate(need) if n}
        seen: dict[int, int] = {}
        kept: dict[int, list] = {}
        with open(policies_path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            columns = next(rows)
            at = {c: columns.index(c) for c in ("policy_no", "agent_code", "product_code",
                                                "signed_on", "printed_on", "effective_on",
                                                "status")}
            no, ag, pr, si, pt, ef, st = at.values()
            for row in rows:
                i = index[row[ag]]
                k = wanted.get(i)
                if not k or row[pr] not in self.long_term or row[st] == "cooling_off_cancelled":
                    continue
                effective = dt.date.fromisoformat(row[ef])
                deadline = add_months(effective, 3).toordinal()
                if deadline + 1 > self.window[i][1]:
                    continue
                item = (row[no], dt.date.fromisoformat(row[si]).toordinal(),
                        dt.date.fromisoformat(row[pt]).toordinal(), deadline)
                n = seen[i] = seen.get(i, 0) + 1
                pool = kept.setdefault(i, [])
                if len(pool) < k:
                    pool.append(item)
                else:
                    j = rng.randrange(n)
                    if j < k:
                        pool[j] = item
        return kept

    def _status(self, case: _Case) -> _Case:
        recent = case.found > self.until - RECENT_DAYS
        share = (DRAFT_RECENT if recent else DRAFT_OLD) if case.code in FOUND_BY_PEOPLE \
            else DRAFT_RULE
        case.draft = self.rng.random() < share
        return case

    def _on_policy(self, code: str, agent, policy) -> _Case:
        rng = self.rng
        policy_no, signed, _printed, deadline = policy
        if code == "receipt_not_returned":
            text = f"保单回执应于{self.date(deadline)}前回销，逾期未回销"
            return self._status(_Case(code, agent, deadline + 1, deadline + 1, policy_no, text))
        found = min(self.until, signed + rng.randint(20, 150))  # benefit_promised
        text = rng.choice(BENEFIT_TEXTS).format(rng.choice((5, 10, 15, 20)))
        return self._status(_Case(code, agent, signed, found, policy_no, text))

    def _documents(self, total: int) -> list[_Case]:
        """Bursts of overdue valuable documents of the agents who hoard them."""
        rng, cases = self.rng, []
        n = len(self.agents)
        hoarders = sorted(set(rng.choices(range(n), k=max(1, int(n * HOARDERS)))))
        hoarders = [i for i in hoarders if self.window[i][0] <= self.window[i][1]]
        if not hoarders:
            return cases
        serial = rng.randint(10_000_000, 19_999_999)
        while len(cases) < total:
            i = rng.choice(hoarders)
            size = min(total - len(cases), rng.choices(BURST_SIZES, BURST_WEIGHTS)[0])
            first = self._day(i)
            kind, prefix = rng.choice(DOCUMENT_KINDS)
            for _ in range(size):
                day = self._day(i, first, first + BURST_SPAN_DAYS)
                serial += rng.randint(1, 40)
                text = (f"{kind} {prefix}{serial}：应于{self.date(day - 1)}前回销，"
                        "逾期未回销")
                cases.append(self._status(_Case("documents_overdue", self.agents[i], day,
                                                day, evidence=text)))
        return cases

    def _notice(self, i: int) -> _Case:
        rng = self.rng
        day = self._day(i)
        kind = rng.choice(NOTICE_KINDS)
        how = rng.choice(("未按时送达客户", "未及时反馈送达情况", "逾期送达并反馈"))
        text = f"{kind}应于{self.date(day - 1)}前送达并反馈，{how}"
        return self._status(_Case("notice_late", self.agents[i], day, day, evidence=text))

    def _claim(self, i: int) -> _Case:
        rng = self.rng
        day = self._day(i)
        found = min(self.until, day + rng.randint(0, 30))
        return self._status(_Case("claim_noncooperation", self.agents[i], day, found,
                                  evidence=rng.choice(CLAIM_TEXTS)))

    # -- writing ----------------------------------------------------------------------

    def date(self, ordinal: int) -> str:
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def _write(self, path, cases: list[_Case]) -> int:
        serials: dict[str, int] = {}
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(CASE_COLUMNS)
            for c in cases:
                found = self.date(c.found)
                year = found[:4]
                serials[year] = serials.get(year, 0) + 1
                writer.writerow([f"QD{year}{serials[year]:07d}", c.agent.code, c.code,
                                 self.date(c.occurred), c.policy_no, found,
                                 "draft" if c.draft else "confirmed", c.evidence])
        return len(cases)


def _apportion(total: int, weights: list[float]) -> list[int]:
    from .generator import apportion

    return apportion(total, weights)
