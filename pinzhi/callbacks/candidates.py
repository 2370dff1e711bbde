"""Which policies a scheduled run must recompute, and when it must recompute them all.

A callback that has ended (succeeded, failed its manual callback, exempted, or needs
none) keeps its state while time moves forward, unless a fact of it changes. So a run
after a finished one recomputes only:

- policies without a stored state, or whose state has not ended;
- policies with a fact (the policy, an attempt, a contact update, a request, a callback
  case) recorded, changed or voided since the last finished run started;
- policies with an attempt or an update whose own time lies between the last run's
  moment and this one (recorded earlier, it was in that run's future).

Everything is recomputed when the parameters, the agents or the units changed since, when
time goes backwards (a moment before one already evaluated), or when no finished run is
known. The rule itself is the same either way: this only chooses whom to give it.

A unit's run (`pinzhi evaluate --unit`) is recorded as `all@CODE` or `incremental@CODE`
and builds on the last finished run that covered its whole subtree: the company's, its
own, or an ancestor's; its candidates are those of its subtree. The company's runs build
on the company's only.
"""

import datetime as dt

from django.db import connection

from pinzhi.core.models import Parameter
from pinzhi.core.versions import path_codes, path_prefixes
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, Product
from pinzhi.receipts.models import Receipt

from . import rules
from .models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
)
from .reading import CANDIDATES as TABLE
from .reading import subtree_policies

WHOLE = ("all", "incremental")  # the scopes of a run over every policy


def run_scope(kind: str, unit_path: str = "") -> str:
    """The scope an evaluation over everything records: `kind` ("all" or "incremental")
    for the company, `kind@CODE` for a unit's subtree."""
    return f"{kind}@{path_codes(unit_path)[-1]}" if unit_path else kind


def covering_scopes(unit_path: str = "") -> list[str]:
    """The scopes of the runs that evaluated every policy of `unit_path`'s subtree: the
    company's, and the unit's own and its ancestors' (a path is made of their codes)."""
    return [*WHOLE, *(f"{kind}@{code}" for code in path_codes(unit_path) for kind in WHOLE)]


def last_consistent_run(unit_path: str = "") -> EvaluationRun | None:
    """The last finished run over every policy of `unit_path`'s subtree ('' all), if the
    stored states it left still follow from the same parameters, agents and units (None:
    they may not)."""
    last = (EvaluationRun.objects.filter(scope__in=covering_scopes(unit_path),
                                         finished_at__isnull=False)
            .order_by("-started_at").first())
    if last is None:
        return None
    changed = (Parameter.objects.filter(key__startswith="callbacks.",
                                        created_at__gte=last.started_at).exists()
               or Agent.objects.filter(updated_at__gte=last.started_at).exists()
               or Unit.objects.filter(updated_at__gte=last.started_at).exists()
               or Product.objects.filter(updated_at__gte=last.started_at).exists())
    return None if changed else last


def since_last_run(as_of: dt.datetime, unit_path: str = "") -> EvaluationRun | None:
    """The finished run over everything (of `unit_path`'s subtree) this one may build on,
    or None (recompute all)."""
    last = last_consistent_run(unit_path)
    if last is None or as_of < last.as_of:
        return None
    later = EvaluationRun.objects.filter(started_at__gte=last.started_at, as_of__gt=as_of)
    # A page or a file went further ahead, or a run of an overlapping unit did; a
    # disjoint branch's run moved none of these policies.
    if any(_may_overlap(scope, unit_path) for scope in later.values_list("scope", flat=True)):
        return None
    return last


def _may_overlap(scope: str, unit_path: str) -> bool:
    kind, _, code = scope.partition("@")
    if not unit_path or kind not in WHOLE or not code:
        return True  # the company's run, or a page's or a file's policies: maybe ours
    path = Unit.objects.filter(code=code).values_list("path", flat=True).first()
    return path is None or path.startswith(unit_path) or path in path_prefixes(unit_path)


CHANGED = "pz_cb_changed"


def ended_before_sql(moment: dt.datetime, unit_path: str = ""
                     ) -> tuple[str, str, list] | None:
    """(a join, a condition, its parameters) on a policy `p` joined to its stored state
    `c`: the stored state says how the callback stood at `moment` too, because it ended
    before `moment` (an ended callback stays ended, whatever time does) or was never
    needed (not long-term), and none of the
    policy's facts was recorded, changed or voided since the last consistent run over
    `unit_path`'s subtree started (so the state was computed from the facts as they are).
    Those ids are gathered first into a temporary table CHANGED of this session, for an
    anti-join. None: no stored state can be trusted."""
    last = last_consistent_run(unit_path)
    if last is None:
        return None
    parts = _changed_parts(last.started_at)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {CHANGED}")
        cur.execute(f"CREATE TEMPORARY TABLE {CHANGED} AS "
                    + " UNION ".join(sql for sql, _ in parts),
                    [v for _, vals in parts for v in vals])
        if connection.vendor == "postgresql":
            cur.execute(f"CREATE INDEX ON {CHANGED} (id)")
            cur.execute(f"ANALYZE {CHANGED}")
        else:
            cur.execute(f"CREATE INDEX pz_cb_changed_id ON {CHANGED} (id)")
    ended = ", ".join(f"'{s}'" for s in (rules.SUCCEEDED, rules.MANUAL_FAILED))
    # A policy that needs no callback needs none at any moment (its product says so).
    return (f"LEFT JOIN {CHANGED} chg ON chg.id = p.id",
            f"(chg.id IS NULL AND (c.status = '{rules.NOT_REQUIRED}' OR "
            f"(c.status IN ({ended}) AND c.ended_at < %s)))",
            [connection.ops.adapt_datetimefield_value(moment)])


def _changed_parts(since: dt.datetime, within: str = "", params=()) -> list[tuple[str, list]]:
    """Policy ids with a fact recorded, changed or voided since `since` (voiding changes
    `updated_at`): the policy, its attempts, updates, requests, callback cases, receipt."""
    from pinzhi.quality.models import Case

    s = connection.ops.adapt_datetimefield_value(since)

    def part(sql: str, col: str) -> tuple[str, list]:
        return sql + within.format(col=col), [s, s, *params]

    def t(model) -> str:
        return model._meta.db_table

    return [
        part(f"SELECT id FROM {t(Policy)} WHERE (updated_at >= %s OR created_at >= %s)",
             "id"),
        part(f"SELECT policy_id FROM {t(CallbackAttempt)} WHERE (created_at >= %s OR "
             f"updated_at >= %s)", "policy_id"),
        part(f"SELECT policy_id FROM {t(ContactUpdate)} WHERE (created_at >= %s OR "
             f"updated_at >= %s)", "policy_id"),
        part(f"SELECT policy_id FROM {t(CallbackRequest)} WHERE (created_at >= %s OR "
             f"updated_at >= %s)", "policy_id"),
        part(f"SELECT policy_id FROM {t(Case)} WHERE policy_id IS NOT NULL AND "
             f"(created_at >= %s OR updated_at >= %s)", "policy_id"),
        part(f"SELECT policy_id FROM {t(Receipt)} WHERE (created_at >= %s OR "  # §4.8
             f"updated_at >= %s)", "policy_id"),
    ]


def create_table(*, last: EvaluationRun, as_of: dt.datetime,
                 id_range: tuple[int, int] | None, unit_path: str = "") -> int:
    """Fill a temporary table with the ids to recompute (this session only), of
    `unit_path`'s subtree ('' all)."""
    within, params = "", []
    if id_range is not None:
        within, params = " AND {col} >= %s AND {col} < %s", list(id_range)
    if unit_path:
        subtree, subtree_params = subtree_policies(unit_path)
        within, params = within + " AND {col} IN (" + subtree + ")", params + subtree_params
    stamp = connection.ops.adapt_datetimefield_value
    window = [stamp(last.as_of), stamp(as_of)]
    ended = ", ".join(f"'{s}'" for s in sorted(rules.ENDED))

    def t(model) -> str:
        return model._meta.db_table

    parts = [
        # A state not ended (or never stored) moves with time.
        (f"SELECT p.id FROM {t(Policy)} p LEFT JOIN {t(CallbackStatus)} c "
         f"ON c.policy_id = p.id WHERE p.voided_at IS NULL AND (c.policy_id IS NULL OR "
         f"c.status NOT IN ({ended}))" + within.format(col="p.id"), params),
        # A fact recorded earlier whose own time was in the last run's future.
        (f"SELECT policy_id FROM {t(CallbackAttempt)} WHERE attempted_at >= %s AND "
         f"attempted_at < %s" + within.format(col="policy_id"), [*window, *params]),
        (f"SELECT policy_id FROM {t(ContactUpdate)} WHERE changed_at >= %s AND "
         f"changed_at < %s" + within.format(col="policy_id"), [*window, *params]),
        *_changed_parts(last.started_at, within, params),
    ]
    union = " UNION ".join(sql for sql, _ in parts)
    values = [v for _, vals in parts for v in vals]
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cur.execute(f"CREATE TEMPORARY TABLE {TABLE} AS {union}", values)
        cur.execute(f"SELECT count(*) FROM {TABLE}")
        return cur.fetchone()[0]
