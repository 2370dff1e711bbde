"""The year's quality cases found by people (rules §7), in the `cases` import format
(interfaces.md): claim investigations the agent did not cooperate with, and the rare
complaints or audits that find benefits promised, fees collected beyond the premium or
terms changed without the company's consent.

The cases that rules produce are not made up here: receipts not returned, valuable
documents overdue and notices late are recorded by the rules from the demo's paper files
(paper.py, rules §5, §7.3, §7.4); the callbacks' findings (forged signatures, misleading
sales, investment risk concealed) are drafted by the import of its callback attempts, and
the false customer information by the import of its policies (callbacks.py,
policies.py). Violations are concentrated: each agent has a propensity drawn from a
heavy-tailed distribution, so most agents have none, and a few several.

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
    ("claim_noncooperation", 0.85),
    ("terms_changed", 0.09),
    ("extra_fee_collected", 0.03),
    ("benefit_promised", 0.03),
)
# Found in a complaint or an audit of one of the agent's policies, done when it was sold.
ON_POLICY = ("benefit_promised", "extra_fee_collected", "terms_changed")
# Agents' propensity to violate: log-normal, capped (no agent has hundreds of cases).
PROPENSITY_SIGMA, PROPENSITY_CAP = 2.0, 40.0
RECENT_DAYS = 30  # findings of the last month are more often still drafts
DRAFT_RECENT, DRAFT_OLD = 0.6, 0.02
FOUND_AFTER_SALE = (20, 150)  # days from the signing to the complaint or the audit

CLAIM_TEXTS = (
    "理赔调查中拒不提供出险客户的就诊医院及经治医生线索，致保险事故无法认定",
    "调查人员多次约访未到，且隐瞒客户既往住院情况，致保险事故不能认定",
    "理赔调查中拒绝陪同走访客户，亦不提供客户联系方式",
    "隐瞒客户投保前已确诊的病史线索，理赔调查无法核实出险经过",
)
POLICY_TEXTS = {
    "benefit_promised": (
        "客户投诉：业务员承诺返还首年保费的{}%作为回扣",
        "客户投诉：业务员承诺投保后赠送价值{}00元的购物卡",
        "客户来电投诉：业务员承诺保单分红每年不低于{}%",
    ),
    "extra_fee_collected": (
        "客户投诉：业务员除保费外另收取“保单工本费”{}0元",
        "稽核发现：业务员向客户收取“体检费”{}0元，未交公司",
        "客户来电投诉：业务员以“加急承保”为由另收费用{}0元",
    ),
    "terms_changed": (
        "稽核发现：业务员在投保单上擅自将保险期间改为{}年，未经公司同意",
        "客户投诉：业务员向客户出示自制条款说明，称等待期仅{}天",
        "稽核发现：业务员自行承诺费率优惠{}%，与公司报备费率不符",
    ),
}
POLICY_NUMBERS = (5, 10, 15, 20)


@dataclass(slots=True)
class _Case:
    code: str
    agent: object
    occurred: int  # ordinal
    found: int
    policy_no: str = ""
    evidence: str = ""
    draft: bool = False


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
        need = [dict() for _ in agents]
        for code in ON_POLICY:
            for i in self._pick(propensity, targets[code]):
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
                        short += 1  # too few policies: a claim investigation instead
        for i in self._pick(propensity, targets["claim_noncooperation"] + short):
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
        cooling-off period) signed at least the shortest finding delay before `until`."""
        rng, index = self.rng, {a.code: i for i, a in enumerate(self.agents)}
        wanted = {i: sum(n.values()) for i, n in enumerate(need) if n}
        latest = self.until - FOUND_AFTER_SALE[0]
        seen: dict[int, int] = {}
        kept: dict[int, list] = {}
        with open(policies_path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            columns = next(rows)
            no, ag, pr, si, st = (columns.index(c) for c in (
                "policy_no", "agent_code", "product_code", "signed_on", "status"))
            for row in rows:
                i = index[row[ag]]
                k = wanted.get(i)
                if not k or row[pr] not in self.long_term or row[st] == "cooling_off_cancelled":
                    continue
                signed = dt.date.fromisoformat(row[si]).toordinal()
                if signed > latest:
                    continue
                item = (row[no], signed)
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
        case.draft = self.rng.random() < (DRAFT_RECENT if recent else DRAFT_OLD)
        return case

    def _on_policy(self, code: str, agent, policy) -> _Case:
        """Done when the policy was sold; found later, in a complaint or an audit."""
        rng = self.rng
        policy_no, signed = policy
        found = min(self.until, signed + rng.randint(*FOUND_AFTER_SALE))
        text = rng.choice(POLICY_TEXTS[code]).format(rng.choice(POLICY_NUMBERS))
        return self._status(_Case(code, agent, signed, found, policy_no, text))

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
