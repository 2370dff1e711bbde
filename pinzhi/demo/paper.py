"""The paper the agents owe (rules §5, §7.3, §7.4): receipts.csv, valuable_documents.csv
and notices.csv, in the import formats of interfaces.md.

The cases these give (`receipt_not_returned`, `documents_overdue`, `notice_late`,
`notice_harm`) are not written here: the rules record them when the files are imported
and when the demo moves to its moment (`pinzhi evaluate`).

- Receipts: the agent delivers the printed policy, the customer signs the receipt, the
  branch collects (scans) it. Most come back within a few weeks, some after their
  deadline (effective + 3 months), a few never; those of an agent who left are often
  orphaned. Cooling-off cancellations and short-term policies owe none.
- Valuable documents (application forms, premium receipts…) are drawn in pads of
  consecutive numbers and must be returned (回销) within their term. Most agents return
  them in time; a few hoarders keep whole pads too long, so that some of them pass 10
  overdue documents in a half-year (the tier of items 16/17); agents who left often
  still hold some.
- Notices (notices, problem letters, endorsements) go with a small share of policies,
  mostly delivered and reported in time, some late or never, a few reported
  untruthfully, a rare late one causing a complaint or a loss. A notice issued after the
  policy's agent left goes to his team's manager, who services the policy.

Carelessness is the agent's: each has a factor drawn from a heavy-tailed distribution
that scales his chances of being late, so the cases concentrate as they do in life.
Only what happened before the demo's day `until` is written: a receipt collected later
is not there yet, a notice not yet delivered has no delivery date. Every draw comes from
the generator's one `random.Random`, after every other file's: the same seed and
`until` give the same bytes, and the earlier files do not change.
"""

import csv
import datetime as dt
from calendar import monthrange

from . import data

RECEIPT_COLUMNS = ["policy_no", "signed_on", "collected_on"]
DOCUMENT_COLUMNS = ["doc_no", "doc_type", "agent_code", "issued_on", "due_on", "returned_on"]
NOTICE_COLUMNS = ["notice_no", "policy_no", "agent_code", "kind", "issued_on", "due_on",
                  "delivered_on", "reported_on", "report_false", "harm"]

# Carelessness: log-normal (mean ~1), capped; it multiplies the chances of lateness below.
CARE_SIGMA, CARE_CAP = 1.0, 8.0

# Receipts, for an agent of average carelessness: late, never. The rest is on time.
RECEIPT_LATE, RECEIPT_NEVER = 0.03, 0.012
RECEIPT_NO_SIGNED_ON = 0.03  # the scan shows no customer's date
ORPHANED = 0.6  # a receipt still out when its agent left is never collected

# Valuable documents: (type, number prefix, term in days), the pads' sizes.
DOCUMENT_TYPES = (("投保单", "TB", 90), ("保费暂收收据", "ZS", 60), ("保险卡", "BK", 90),
                  ("银行转账授权书", "SQ", 90))
DOCUMENT_WEIGHTS = (4, 3, 2, 1)
PAD_SIZES, PAD_WEIGHTS = (5, 10, 20), (3, 5, 2)
PADS_PER_YEAR = (1, 4)  # drawn uniformly, in proportion to the time he was an agent
DOCUMENT_LATE, DOCUMENT_NEVER = 0.008, 0.003  # per document, average carelessness
HOARDERS = 0.04  # share of agents who keep pads too long
HOARDED = 0.6  # share of a hoarder's pads returned late, or never
HOARDED_NEVER = 0.3  # of those, kept for good
LEAVER_KEEPS = 0.5  # a document an agent still held when he left is never returned

# Notices: share of policies, kinds (code, weight, days after effect, term in days).
NOTICE_SHARE = 0.025
NOTICE_KINDS = (("problem_letter", 45, (0, 5), 10), ("notice", 35, (10, 200), 15),
                ("endorsement", 20, (30, 300), 15))
NOTICE_LATE, NOTICE_FALSE = 0.06, 0.01  # average carelessness
NOTICE_NEVER = 0.25  # of the late ones: never delivered
NOTICE_HARM = 0.08  # of the late or untruthful ones: a complaint or a loss


def receipt_deadline(effective: dt.date) -> dt.date:
    """Effective + 3 calendar months, clamped to the month's end (rules §5)."""
    month = effective.month + 3
    year, month = effective.year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, min(effective.day, monthrange(year, month)[1]))


class PaperWriter:
    def __init__(self, rng, agents, until: dt.date):
        from .generator import year_start

        self.rng, self.agents = rng, agents
        self.until = until.toordinal()
        self.start = year_start(until).toordinal()
        self.products = {p.code: p for p in data.PRODUCTS}
        self.index = {a.code: i for i, a in enumerate(agents)}
        self.care = [min(CARE_CAP, rng.lognormvariate(-CARE_SIGMA ** 2 / 2, CARE_SIGMA))
                     for _ in agents]
        self.hoarder = [rng.random() < HOARDERS for _ in agents]
        managers = {}
        for a in agents:
            if a.rank == data.MANAGER:
                managers.setdefault(a.team.code, a)
        self.manager = managers
        self.iso: dict[int, str] = {}

    def write(self, policies_path, out_dir) -> dict[str, int]:
        counts = {"receipts": 0, "valuable_documents": 0, "notices": 0}
        notices = []
        with open(out_dir / "receipts.csv", "w", encoding="utf-8", newline="") as f:
            receipts = csv.writer(f, lineterminator="\n")
            receipts.writerow(RECEIPT_COLUMNS)
            for policy_no, agent, owes, printed, effective in self._policies(policies_path):
                if owes and (row := self._receipt(policy_no, agent, printed, effective)):
                    receipts.writerow(row)
                    counts["receipts"] += 1
                if self.rng.random() < NOTICE_SHARE and (
                        notice := self._notice(policy_no, agent, effective)):
                    notices.append(notice)
        counts["notices"] = self._write_notices(out_dir / "notices.csv", notices)
        with open(out_dir / "valuable_documents.csv", "w", encoding="utf-8", newline="") as f:
            documents = csv.writer(f, lineterminator="\n")
            documents.writerow(DOCUMENT_COLUMNS)
            for row in self._documents():
                documents.writerow(row)
                counts["valuable_documents"] += 1
        return counts

    def date(self, ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def _policies(self, policies_path):
        """(policy_no, agent index, owes a receipt, printed, effective) of the policies
        in force or ended after the cooling-off period; ordinals."""
        products, index = self.products, self.index
        with open(policies_path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            at = {c: i for i, c in enumerate(next(rows))}
            no, ag, pr = at["policy_no"], at["agent_code"], at["product_code"]
            pt, ef, st = at["printed_on"], at["effective_on"], at["status"]
            for row in rows:
                if row[st] == "cooling_off_cancelled":
                    continue  # no receipt, nothing to notify
                yield (row[no], index[row[ag]], products[row[pr]].long_term,
                       dt.date.fromisoformat(row[pt]).toordinal(),
                       dt.date.fromisoformat(row[ef]).toordinal())

    def _left(self, i: int) -> int | None:
        left = self.agents[i].left_on
        return left.toordinal() if left else None

    # -- receipts ---------------------------------------------------------------------

    def _receipt(self, policy_no: str, i: int, printed: int, effective: int):
        rng, care = self.rng, self.care[i]
        deadline = receipt_deadline(dt.date.fromordinal(effective)).toordinal()
        delivered = printed + rng.randint(1, 10)  # the customer signs the receipt then
        draw = rng.random()
        if draw < RECEIPT_NEVER * care:
            return None
        if draw < (RECEIPT_NEVER + RECEIPT_LATE) * care:
            collected = deadline + rng.randint(1, 60)
            delivered = min(delivered, deadline)
        else:
            collected = min(delivered + rng.randint(0, 21), max(deadline, delivered))
        left = self._left(i)
        if left is not None and collected > left and rng.random() < ORPHANED:
            return None  # orphaned: the agent left before bringing it back
        if collected >= self.until:
            return None  # not back yet
        signed = "" if rng.random() < RECEIPT_NO_SIGNED_ON else self.date(delivered)
        return [policy_no, signed, self.date(collected)]

    # -- notices ----------------------------------------------------------------------

    def _notice(self, policy_no: str, i: int, effective: int):
        rng = self.rng
        code, _, (lo, hi), term = rng.choices(NOTICE_KINDS, [k[1] for k in NOTICE_KINDS])[0]
        issued = effective + rng.randint(lo, hi)
        if issued >= self.until:
            return None
        agent = self.agents[i]
        left = self._left(i)
        if left is not None and issued >= left:
            agent = self.manager.get(agent.team.code)
            if agent is None:
                return None
            i = self.index[agent.code]
        due, care = issued + term, self.care[i]
        delivered = issued + rng.randint(0, term - 2)
        reported = delivered + rng.randint(0, 2)
        false = harm = False
        draw = rng.random()
        if draw < NOTICE_LATE * care:
            kind = rng.random()
            if kind < NOTICE_NEVER:
                delivered = reported = None
            elif kind < 0.7:  # delivered late
                delivered = due + rng.randint(1, 20)
                reported = delivered + rng.randint(0, 3)
            else:  # delivered in time, reported late
                reported = due + rng.randint(1, 15)
            harm = rng.random() < NOTICE_HARM
        elif draw < (NOTICE_LATE + NOTICE_FALSE) * care:
            false = True
            harm = rng.random() < NOTICE_HARM
        if delivered is not None and delivered >= self.until:
            delivered = reported = None
        elif reported is not None and reported >= self.until:
            reported = None
        false = false and reported is not None  # not reported yet: nothing untruthful
        harm = harm and (false or not (reported is not None and reported <= due))
        return issued, policy_no, agent.code, code, due, delivered, reported, false, harm

    def _write_notices(self, path, notices) -> int:
        """In the order of issue, numbered per year (N + year + 7 digits)."""
        notices.sort(key=lambda n: (n[0], n[1]))
        serials: dict[str, int] = {}
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(NOTICE_COLUMNS)
            for issued, policy_no, agent, kind, due, delivered, reported, false, harm in (
                    notices):
                year = self.date(issued)[:4]
                serials[year] = serials.get(year, 0) + 1
                writer.writerow([f"N{year}{serials[year]:07d}", policy_no, agent, kind,
                                 self.date(issued), self.date(due), self.date(delivered),
                                 self.date(reported), "true" if false else "false",
                                 "true" if harm else "false"])
        return len(notices)

    # -- valuable documents -----------------------------------------------------------

    def _pads(self):
        """(issued, agent index, type) of every pad drawn in the demo's year, in the order
        of issue; on working days."""
        from .generator import is_working_day

        rng, pads = self.rng, []
        for i, agent in enumerate(self.agents):
            first = max(agent.hired_on.toordinal(), self.start)
            last = min(self._left(i) or self.until, self.until) - 1
            if first > last:
                continue
            share = (last - first + 1) / (self.until - self.start + 1)
            n = round(rng.randint(*PADS_PER_YEAR) * share + rng.random() - 0.5)
            for _ in range(max(0, n)):
                day = rng.randint(first, last)
                while not is_working_day(dt.date.fromordinal(day)) and day < last:
                    day += 1
                pads.append((day, i, rng.choices(DOCUMENT_TYPES, DOCUMENT_WEIGHTS)[0]))
        pads.sort(key=lambda p: (p[0], p[1]))
        return pads

    def _documents(self):
        rng, until = self.rng, self.until
        serial = {prefix: rng.randint(1_000_000, 1_999_999) for _, prefix, _ in DOCUMENT_TYPES}
        for issued, i, (doc_type, prefix, term) in self._pads():
            agent, care, left = self.agents[i], self.care[i], self._left(i)
            size = rng.choices(PAD_SIZES, PAD_WEIGHTS)[0]
            due = issued + term
            hoarded = self.hoarder[i] and rng.random() < HOARDED
            kept = hoarded and rng.random() < HOARDED_NEVER
            back_late = due + rng.randint(1, 60)  # the hoarded pad comes back at once
            first = serial[prefix] + rng.randint(1, 50)
            serial[prefix] = first + size
            for n in range(size):
                if hoarded:
                    returned = None if kept else back_late
                else:
                    draw = rng.random()
                    if draw < DOCUMENT_NEVER * care:
                        returned = None  # lost
                    elif draw < (DOCUMENT_NEVER + DOCUMENT_LATE) * care:
                        returned = due + rng.randint(1, 45)
                    else:
                        returned = issued + rng.randint(1, term)
                if left is not None and (returned is None or returned > left) \
                        and rng.random() < LEAVER_KEEPS:
                    returned = None  # still with the agent who left
                if returned is not None and returned >= until:
                    returned = None  # not back yet
                yield [f"{prefix}{first + n:08d}", doc_type, agent.code, self.date(issued),
                       self.date(due), self.date(returned)]

