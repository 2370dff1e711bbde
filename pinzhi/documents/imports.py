"""The `valuable_documents` feed file (interfaces.md): doc_no, [doc_type], agent_code,
issued_on, due_on, [returned_on]; keyed by doc_no.

The rows are written by the engine like any kind's; then the file's documents are
evaluated as of the import's moment (rules §7.3): overdue cases recorded, and voided
where a return date corrected to within the term says so. Each is listed as a warning.
"""

from django.db.models.expressions import RawSQL

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent

from .evaluation import documents_evaluate
from .models import ValuableDocument


def _check_document(values, today):
    errors = []
    issued, returned = values["issued_on"], values.get("returned_on")
    if values["due_on"] < issued:
        errors.append(("due_on", values["due_on"].isoformat(), "before issued_on"))
    if returned is not None and returned < issued:
        errors.append(("returned_on", returned.isoformat(), "before issued_on"))
    return errors


def _after_documents(stage) -> list[str]:
    result = documents_evaluate(as_of=stage.now,
                                doc_nos=RawSQL(f'SELECT "doc_no" FROM {TABLE}', []))
    if not (result.recorded or result.voided):
        return []
    rows = dict((no, row) for row, no in stage.fetch(f'SELECT row_no, "doc_no" FROM {TABLE}'))
    lines = [(rows.get(no, 0), f"row {rows.get(no, '?')}: {no}: overdue: a documents_overdue "
                               f"case was recorded") for no in result.recorded]
    lines += [(rows.get(no, 0), f"row {rows.get(no, '?')}: {no}: returned in time or "
                                f"corrected: its overdue case was voided")
              for no in result.voided]
    return [text for _, text in sorted(lines)]


DOCUMENTS = register(ImportSpec(
    kind="valuable_documents",
    model=ValuableDocument,
    key=("doc_no",),
    columns=(
        Column("doc_no", p.code()),
        Column("doc_type", p.text(60), required=False, default=""),
        Column("agent_code", p.code(), field="agent"),
        Column("issued_on", p.date, not_future=True),
        Column("due_on", p.date),
        Column("returned_on", p.date, required=False, not_future=True),
    ),
    references=(Reference("agent_code", "agent", Agent),),
    check_row=_check_document,
    after_apply=_after_documents,
    description="valuable documents issued to agents, and their returns",
))
