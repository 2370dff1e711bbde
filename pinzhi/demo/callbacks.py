"""The call centre's year (rules §4): callback_attempts.csv, contact_updates.csv and
callback_requests.csv, in the import formats of interfaces.md.

Every long-term policy is called back the way a call centre keeping the rules would:
round 1 from printed + 10 days 09:00, calls from 09:00 to 21:00, unsuccessful ones at
least 6 hours apart and spread over days and slots; most customers answer at the first
or second call, some never do (round 1 fails after 3 counted failures over 2 days and
2 slots), a few numbers are dead or the customer refuses (the round fails at once), a
few are special (the manual callback opens). The agent, told, confirms or updates the
phone within his 10 days in most cases; round 2; the manual callback's verdict by call,
letter or visit. About 1% of the attempts break the rules (outside the hours, too soon)
and show as flagged; a few successes reveal findings; a few customers ask for an early
callback or an exemption.

The story of one policy is a pure function of its facts and the generator's one
`random.Random` (`simulate`); times are whole seconds since 0001-01-01 00:00 local time
(ordinal × 86400 + second of the day). The writer keeps what happened before the demo's
moment (`until` at 00:00, Asia/Shanghai): nothing lies in the future, and the policies
of the last weeks are still partly uncalled, so the call queue has work.
"""

import csv
import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from . import data
from .people import mobile_maker

SHANGHAI = ZoneInfo("Asia/Shanghai")
ATTEMPT_COLUMNS = ["policy_no", "round", "attempted_at", "outcome", "findings",
                   "phone_changed", "satisfaction", "method", "operator", "note"]
UPDATE_COLUMNS = ["policy_no", "updated_at", "phone", "agent_code"]
REQUEST_COLUMNS = ["policy_no", "kind", "requested_on", "approved_on", "earliest_on"]

DAY, HOUR, MINUTE = 86_400, 3_600, 60
FIRST, LAST = 9 * HOUR, 21 * HOUR  # calls from 09:00:00 up to, not including, 21:00:00
LATEST_CALL = LAST - 10 * MINUTE
SPACING = 6 * HOUR
NOON, SIX_PM = 12 * HOUR, 18 * HOUR  # slots: morning | afternoon | evening
OPENS_AFTER_DAYS = AGENT_DAYS = 10

# Shares (of long-term policies, or of the cases named).
EXEMPTION, EARLY = 0.0015, 0.003
NONCOMPLIANT = 0.03  # of the gaps after a temporary failure: a call outside the rules
FINDING = 0.008  # of successes
BACKLOG = ((0, 50), (1, 25), (2, 12), (3, 7), (4, 4), (5, 2))  # days before the first call
# The last weeks before the moment the call centre is behind: rounds opened then wait
# some days more for their first call (the queue has work).
BEHIND_DAYS, BEHIND_SHARE, BEHIND_MAX = 15, 0.5, 6
FAILURES_BEFORE_SUCCESS = ((0, 62), (1, 24), (2, 10), (3, 4))
ROUND_1 = (("success", 89.8), ("unreachable", 6), ("number", 2.5), ("refusal", 1.2),
           ("special", 0.5))
ROUND_2_NEW_NUMBER = (("success", 82), ("unreachable", 12), ("number", 3), ("refusal", 3))
ROUND_2_SAME_NUMBER = (("success", 55), ("unreachable", 32), ("number", 7), ("refusal", 6))
# After round 1 failed: (share of agents who confirm or update, share of those giving a
# new number), by the cause.
AGENT_UPDATES = {"phone_false": (0.85, 1.0), "number": (0.85, 1.0), "refusal": (0.4, 0.0),
                 "unreachable": (0.75, 0.65)}
TEMPORARY = (("no_answer", 40), ("not_present", 12), ("hung_up", 8), ("declined_call", 6),
             ("busy", 12), ("inconvenient", 8), ("powered_off", 12), ("other", 2))
NUMBER_PROBLEMS = (("empty_number", 35), ("wrong_number", 25), ("suspended", 20),
                   ("number_paused", 10), ("no_contact", 4), ("recording", 3), ("fax", 3))
REFUSALS = (("refused_self", 70), ("refused_family", 30))
SATISFACTION = ((5, 52), (4, 33), (3, 11), (2, 3), (1, 1))
FINDINGS = (("forged_signature", 50), ("misleading", 50))
FINDINGS_UNIT_LINKED = (("investment_risk_concealed", 45), ("misleading", 25),
                        ("forged_signature", 30))
METHODS = (("call", 55), ("letter", 25), ("visit", 20))
MANUAL_SUCCESS = 0.88
MANUAL_FAILURES = {"call": ("refused_self", "no_answer", "empty_number"),
                   "letter": ("no_contact", "refused_self"),
                   "visit": ("not_present", "refused_family")}
MANUAL_NOTES = {"call": "回访专员人工电话回访", "letter": "回访函已寄出",
                "visit": "上门回访"}
SPECIAL_NOTES = ("客户长期在国外，无法回访", "客户住院治疗，暂无法接听回访电话",
                 "客户为聋哑人士，无法电话回访")


def table(pairs):
    """(values, cumulative weights) for `rng.choices`."""
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))


def pick(rng, tab):
    return rng.choices(tab[0], cum_weights=tab[1])[0]


T_BACKLOG, T_BEFORE = table(BACKLOG), table(FAILURES_BEFORE_SUCCESS)
T_ROUND_1, T_NEW, T_SAME = table(ROUND_1), table(ROUND_2_NEW_NUMBER), table(ROUND_2_SAME_NUMBER)
T_TEMPORARY, T_NUMBER, T_REFUSAL = table(TEMPORARY), table(NUMBER_PROBLEMS), table(REFUSALS)
T_SATISFACTION, T_METHOD = table(SATISFACTION), table(METHODS)
T_FINDINGS, T_FINDINGS_UL = table(FINDINGS), table(FINDINGS_UNIT_LINKED)


# -- the facts of one policy, and its story ------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    printed: int  # ordinal
    unit_linked: bool = False
    phone_false: bool = False  # the applicant's phone is an agent's or a branch's
    cancelled_on: int = 0  # ordinal of a cancellation in the cooling-off period
    agent_left_on: int = 0  # ordinal; 0: still an agent


@dataclass(slots=True)
class Story:
    # (at, round, outcome, findings, phone_changed, satisfaction, method, operator, note)
    attempts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)  # (at, new number or None: the same)
    requests: list[tuple] = field(default_factory=list)  # (kind, requested, approved, earliest)


@dataclass(frozen=True)
class Staff:
    callers: tuple[str, ...]
    specialists: tuple[str, ...]
    behind_from: int = 0  # rounds opening from then wait longer for their first call


def slot(at: int) -> int:
    second = at % DAY
    return 0 if second < NOON else (1 if second < SIX_PM else 2)


def in_hours(rng, at: int) -> int:
    """`at`, or the next morning's first calls if `at` is outside the calling hours."""
    day, second = divmod(at, DAY)
    if second < FIRST:
        return day * DAY + FIRST + rng.randrange(3 * HOUR)
    if second > LATEST_CALL:
        return (day + 1) * DAY + FIRST + rng.randrange(3 * HOUR)
    return at


def first_call(rng, opens: int, last_unsuccessful: int | None, staff: Staff) -> int:
    """The round's first call: after the call centre's backlog, 6 hours after the last
    unsuccessful call."""
    earliest = opens if last_unsuccessful is None else max(opens, last_unsuccessful + SPACING)
    backlog = pick(rng, T_BACKLOG)
    if staff.behind_from and earliest >= staff.behind_from and rng.random() < BEHIND_SHARE:
        backlog += rng.randint(1, BEHIND_MAX)
    day = earliest // DAY + backlog
    low = max(earliest if backlog == 0 else 0, day * DAY + FIRST)
    if low > day * DAY + LATEST_CALL:
        day, low = day + 1, (day + 1) * DAY + FIRST
    return rng.randint(low, day * DAY + LATEST_CALL)


def retry(rng, last_unsuccessful: int) -> int:
    """The next call: 6 to 28 hours later, within the hours (so: another slot or day)."""
    return in_hours(rng, last_unsuccessful + SPACING + rng.randrange(22 * HOUR))


def noncompliant(rng, last_unsuccessful: int) -> int:
    """A call the rules do not count, after an unsuccessful one (in the hours): 1 to 5
    hours later (too soon), or in the evening after 21:00 or before 09:00 the next day
    (outside the hours)."""
    day = last_unsuccessful // DAY
    r = rng.random()
    if r < 0.5:
        at = last_unsuccessful + HOUR + rng.randrange(4 * HOUR)
        if at < day * DAY + LAST:
            return at
    if r < 0.8:
        return day * DAY + LAST + 1 + rng.randrange(90 * MINUTE)  # 21:00–22:30
    return (day + 1) * DAY + 8 * HOUR + rng.randrange(HOUR)  # 08:00–09:00


def spent(counted: list[tuple[int, int]]) -> bool:
    """3 counted temporary failures over 2 days and 2 slots (§4.2)."""
    return (len(counted) >= 3 and len({d for d, _ in counted}) >= 2
            and len({s for _, s in counted}) >= 2)


def success(rng, facts: Facts, at: int, rnd: str, operator: str) -> tuple:
    findings = ""
    satisfaction = pick(rng, T_SATISFACTION)
    if rng.random() < FINDING:
        findings = pick(rng, T_FINDINGS_UL if facts.unit_linked else T_FINDINGS)
        if rng.random() < 0.1:  # two at once
            other = pick(rng, T_FINDINGS_UL if facts.unit_linked else T_FINDINGS)
            findings = ";".join(sorted({findings, other}))
        satisfaction = rng.randint(1, 3)
    return (at, rnd, "success", findings, "", str(satisfaction), "", operator, "")


def phone_round(rng, facts: Facts, rnd: str, opens: int, last: int | None, profile: str,
                staff: Staff, out: list) -> tuple[str, int, int | None]:
    """The calls of a phone round, appended to `out`: (how it ended: success, failed or
    manual; when; the last unsuccessful call)."""
    caller = rng.choice(staff.callers)
    at = first_call(rng, opens, last, staff)
    if rnd == "1" and facts.cancelled_on and facts.cancelled_on <= at // DAY:
        note = f"客户已于{dt.date.fromordinal(facts.cancelled_on).isoformat()}办理犹豫期撤单"
        out.append((at, rnd, "surrendered", "", "", "", "", caller, note))
        return "manual", at, at
    if profile == "special":
        out.append((at, rnd, "special_no_callback", "", "", "", "", caller,
                    rng.choice(SPECIAL_NOTES)))
        return "manual", at, at
    if profile == "success":
        before = pick(rng, T_BEFORE)  # temporary failures before the customer answers
    elif profile == "unreachable":
        before = 99  # until the round fails
    else:  # a dead number or a refusal, perhaps after a first unanswered call
        before = 1 if rng.random() < 0.3 else 0
    counted: list[tuple[int, int]] = []
    for _ in range(before):
        out.append((at, rnd, pick(rng, T_TEMPORARY), "", "", "", "", caller, ""))
        counted.append((at // DAY, slot(at)))
        last = at
        if spent(counted):
            return "failed", at, last
        if rng.random() < NONCOMPLIANT:
            last = noncompliant(rng, last)
            out.append((last, rnd, pick(rng, T_TEMPORARY), "", "", "", "", caller, ""))
        at = retry(rng, last)
        caller = rng.choice(staff.callers)
    if profile == "success":
        out.append(success(rng, facts, at, rnd, caller))
        return "success", at, last
    outcome = pick(rng, T_NUMBER if profile == "number" else T_REFUSAL)
    out.append((at, rnd, outcome, "", "", "", "", caller, ""))
    return "failed", at, at


def manual_verdict(rng, facts: Facts, opened: int, number_problem: bool, staff: Staff,
                   out: list) -> None:
    """The manual callback ends in one verdict, days later, in office hours."""
    day = opened // DAY + rng.randint(3, 20)
    at = day * DAY + 9 * HOUR + 30 * MINUTE + rng.randrange(8 * HOUR)
    method = pick(rng, T_METHOD)
    specialist = rng.choice(staff.specialists)
    if rng.random() < MANUAL_SUCCESS:
        row = success(rng, facts, at, "manual", specialist)
        changed = number_problem or rng.random() < 0.1
        out.append((*row[:4], "true" if changed else "false",
                    row[5] if method == "call" else "", method, specialist,
                    MANUAL_NOTES[method]))
    else:
        out.append((at, "manual", rng.choice(MANUAL_FAILURES[method]), "", "false", "",
                    method, specialist, MANUAL_NOTES[method]))


def requests_of(rng, facts: Facts, story: Story) -> tuple[int | None, bool]:
    """An exemption or an early callback, approved (rules §4.7): (the day round 1 opens
    instead, exempted)."""
    r = rng.random()
    if r >= EXEMPTION + EARLY:
        return None, False
    requested = facts.printed + rng.randint(0, 3)
    approved = requested + rng.randint(0, 2)
    if r < EXEMPTION:
        story.requests.append(("exemption", requested, approved, 0))
        return None, True
    earliest = min(approved + rng.randint(0, 3), facts.printed + OPENS_AFTER_DAYS - 1)
    story.requests.append(("early", requested, approved, earliest))
    return max(earliest, approved), False


def simulate(rng, facts: Facts, staff: Staff) -> Story:
    """Everything the call centre and the agent did for one long-term policy."""
    story = Story()
    early, exempted = requests_of(rng, facts, story)
    if exempted:
        return story
    opens_on = facts.printed + OPENS_AFTER_DAYS if early is None else min(
        early, facts.printed + OPENS_AFTER_DAYS)
    opens = opens_on * DAY + FIRST
    attempts = story.attempts
    if facts.phone_false:  # round 1 fails as it opens: nobody calls the agent's number
        cause, ended, failed_at, last = "phone_false", "failed", opens, None
    else:
        cause = pick(rng, T_ROUND_1)
        ended, failed_at, last = phone_round(rng, facts, "1", opens, None, cause, staff,
                                             attempts)
    if ended == "manual":
        manual_verdict(rng, facts, failed_at, False, staff, attempts)
    if ended != "failed":
        return story
    deadline = (failed_at // DAY + AGENT_DAYS) * DAY + FIRST
    share, new_share = AGENT_UPDATES.get(cause, AGENT_UPDATES["unreachable"])
    still_agent = not facts.agent_left_on or failed_at // DAY < facts.agent_left_on
    opens, new_number = deadline, False
    if still_agent and rng.random() < share:  # mostly in the first days, 08:00–22:00
        day = failed_at // DAY + int(AGENT_DAYS * rng.random() ** 2)
        opens = max(day * DAY + 8 * HOUR + rng.randrange(14 * HOUR),
                    failed_at + HOUR + rng.randrange(2 * HOUR))
        new_number = rng.random() < new_share
        story.updates.append((opens, True if new_number else None))
    if facts.phone_false and not new_number:  # round 2 fails as it opens too
        manual_verdict(rng, facts, opens, True, staff, attempts)
        return story
    profile = pick(rng, T_NEW if new_number else T_SAME)
    ended, failed_at, _ = phone_round(rng, facts, "2", opens, last, profile, staff, attempts)
    if ended == "failed":
        number_problem = cause in ("number", "phone_false") or profile == "number"
        manual_verdict(rng, facts, failed_at, number_problem, staff, attempts)
    return story


# -- the files ------------------------------------------------------------------------


def moment(until: dt.date) -> dt.datetime:
    """The demo's moment: the files hold what happened before `until` began."""
    return dt.datetime.combine(until, dt.time(), tzinfo=SHANGHAI)


class CallbackWriter:
    def __init__(self, rng, agents, units, names, until: dt.date):
        self.rng, self.cutoff = rng, until.toordinal() * DAY
        self.until = until.toordinal()
        self.agents = {a.code: a for a in agents}
        self.agent_ids: dict[str, set[str]] = {}
        for a in agents:
            self.agent_ids.setdefault(a.phone, set()).add(a.id_number)
        self.landlines = {p for u in units for p in u.phones.split(";") if p}
        self.mobile = mobile_maker(rng, set(self.agent_ids))
        women, men = names[1], names[0]
        self.staff = Staff(tuple(rng.choice(women if rng.random() < 0.8 else men)
                                 for _ in range(24)),
                           tuple(rng.choice(women) for _ in range(6)),
                           self.cutoff - BEHIND_DAYS * DAY)
        self.products = {p.code: p for p in data.PRODUCTS}
        self.iso: dict[int, str] = {}

    def is_false(self, phone: str, applicant_id_number: str) -> bool:
        """An agent's phone (unless the applicant is that agent) or a unit's landline."""
        owners = self.agent_ids.get(phone)
        return phone in self.landlines or (owners is not None
                                           and applicant_id_number not in owners)

    def write(self, policies_path, out_dir) -> dict[str, int]:
        counts = dict.fromkeys(("callback_requests", "contact_updates", "callback_attempts"), 0)
        files = {kind: open(out_dir / f"{kind}.csv", "w", encoding="utf-8", newline="")
                 for kind in counts}
        try:
            writers = {kind: csv.writer(f, lineterminator="\n") for kind, f in files.items()}
            writers["callback_requests"].writerow(REQUEST_COLUMNS)
            writers["contact_updates"].writerow(UPDATE_COLUMNS)
            writers["callback_attempts"].writerow(ATTEMPT_COLUMNS)
            for policy_no, agent, phone, facts in self._long_term(policies_path):
                story = simulate(self.rng, facts, self.staff)
                for kind, rows in self._rows(policy_no, agent, phone, story):
                    writers[kind].writerows(rows)
                    counts[kind] += len(rows)
        finally:
            for f in files.values():
                f.close()
        return counts

    def _long_term(self, policies_path):
        """(policy_no, agent, applicant phone, Facts) of every long-term policy printed
        before the moment."""
        with open(policies_path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            at = {c: i for i, c in enumerate(next(rows))}
            no, ag, pr, ap, ph, pt, st, so = (at[c] for c in (
                "policy_no", "agent_code", "product_code", "applicant_id_number",
                "applicant_phone", "printed_on", "status", "status_on"))
            ordinals: dict[str, int] = {}
            for row in rows:
                product = self.products[row[pr]]
                if not product.long_term:
                    continue
                printed = ordinals.get(row[pt]) or ordinals.setdefault(
                    row[pt], dt.date.fromisoformat(row[pt]).toordinal())
                if printed >= self.until:
                    continue
                agent = self.agents[row[ag]]
                cancelled = (dt.date.fromisoformat(row[so]).toordinal()
                             if row[st] == "cooling_off_cancelled" else 0)
                yield row[no], agent, row[ph], Facts(
                    printed, product.kind == "unit_linked",
                    self.is_false(row[ph], row[ap]), cancelled,
                    agent.left_on.toordinal() if agent.left_on else 0)

    def _rows(self, policy_no: str, agent, phone: str, story: Story):
        """The story's rows of each file, before the moment (an approval after it is
        not known yet: the request is pending)."""
        cutoff, stamp, until = self.cutoff, self.stamp, self.until
        if story.requests:
            yield "callback_requests", [
                [policy_no, kind, self.date(asked), self.date(approved) if approved < until
                 else "", self.date(earliest) if earliest else ""]
                for kind, asked, approved, earliest in story.requests if asked < until]
        if story.updates:  # a new number, or the same one confirmed
            yield "contact_updates", [
                [policy_no, stamp(at), self.mobile() if new else phone, agent.code]
                for at, new in story.updates if at < cutoff]
        yield "callback_attempts", [[policy_no, r, stamp(at), *rest]
                                    for at, r, *rest in story.attempts if at < cutoff]

    def date(self, ordinal: int) -> str:
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def stamp(self, at: int) -> str:
        day, second = divmod(at, DAY)
        hours, rest = divmod(second, HOUR)
        return f"{self.date(day)}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}+08:00"
