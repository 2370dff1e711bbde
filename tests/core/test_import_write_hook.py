"""`ImportSpec.write`: a kind that writes its rows itself is called once every check has
passed, instead of the generic writes, and its counts are the import's."""

import datetime as dt

import pytest

from pinzhi.core.importing import Column, ImportSpec, run_import
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.spec import REGISTRY, register
from pinzhi.core.models import ImportRun
from pinzhi.org.models import Level, Unit

pytestmark = pytest.mark.django_db

KIND = "test_written_units"
HEADER = "code,name,level\n"
NOW = dt.datetime.fromisoformat("2026-06-01T09:00+08:00")


@pytest.fixture
def calls():
    """A throwaway kind on units whose hooks record what they were given, in order."""
    calls = []

    def check_stage(stage):
        calls.append(("check_stage",))
        return [(row, "name", name, "refused by the kind") for row, _, name
                in stage.staged("code", "name") if name == "bad"]

    def write(stage):
        calls.append(("write", stage.staged("code", "name", "level"), stage.by, stage.now))
        return 2, 1

    def after_apply(stage):
        calls.append(("after_apply",))
        return ["after"]

    register(ImportSpec(
        kind=KIND, model=Unit, key=("code",),
        columns=(Column("code", p.code()), Column("name", p.text(100)),
                 Column("level", p.choice(*Level.values))),
        check_stage=check_stage, write=write, after_apply=after_apply,
    ))
    yield calls
    del REGISTRY[KIND]


def load(tmp_path, text, by=None):
    path = tmp_path / "units.csv"
    path.write_bytes(text.encode("gbk"))
    return run_import(KIND, path, by=by, now=NOW)


def test_the_hook_writes_after_the_checks_and_its_counts_are_the_results(
        calls, tmp_path, django_user_model):
    clerk = django_user_model.objects.create(username="clerk_w")
    result = load(tmp_path, HEADER + "U1,一队,team\nU2,二队,team\nU3,三队,team\nU4,四队,team\n",
                  by=clerk)
    assert result.ok, [str(e) for e in result.errors]
    assert [c[0] for c in calls] == ["check_stage", "write", "after_apply"]
    _, staged, by, now = calls[1]
    assert staged == [(2, "U1", "一队", "team"), (3, "U2", "二队", "team"),
                      (4, "U3", "三队", "team"), (5, "U4", "四队", "team")]
    assert (by, now) == (clerk, NOW)
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 2, 1, 1)
    assert result.warnings == ["after"] and "write" in result.timings
    run = ImportRun.objects.get(pk=result.run_id)
    assert (run.outcome, run.created, run.updated, run.unchanged) == (
        ImportRun.Outcome.APPLIED, 2, 1, 1)
    # the generic writes did not run: the hook wrote nothing, so nothing is there
    assert not Unit.objects.filter(code__in=["U1", "U2", "U3", "U4"]).exists()


@pytest.mark.parametrize("bad_row, column", [
    ("U2,二队,galaxy", "level"),  # refused by the parser
    ("U2,bad,team", "name"),  # refused by the kind's check_stage
    ("U1,二队,team", "code"),  # refused by the engine's check (same key)
])
def test_a_bad_row_and_the_hook_is_not_called(calls, tmp_path, bad_row, column):
    result = load(tmp_path, HEADER + "U1,一队,team\n" + bad_row + "\n")
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert ("write" not in [c[0] for c in calls]
            and (result.created, result.updated, result.unchanged) == (0, 0, 0))
    assert ImportRun.objects.get(pk=result.run_id).outcome == ImportRun.Outcome.REJECTED
