"""The training feed files (issue 8): sessions held (`training_sessions`) and who
attended them (`training_attendance`), e.g. from the training centre's sign-in sheets."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent, Unit

from .models import Attendance, Course, Session

SESSIONS = register(ImportSpec(
    kind="training_sessions",
    model=Session,
    key=("session_no",),
    columns=(
        Column("session_no", p.code()),
        Column("course_code", p.code(), field="course"),
        Column("held_on", p.date, not_future=True),
        Column("unit_code", p.code(), field="unit"),
        Column("trainer", p.text(60), required=False, default=""),
    ),
    references=(
        Reference("course_code", "course", Course),
        Reference("unit_code", "unit", Unit),
    ),
    description="training sessions held (issue 8)",
))

ATTENDANCE = register(ImportSpec(
    kind="training_attendance",
    model=Attendance,
    key=("session_no", "agent_code"),
    columns=(
        Column("session_no", p.code(), field="session"),
        Column("agent_code", p.code(), field="agent"),
    ),
    references=(
        Reference("session_no", "session", Session, to_field="session_no"),
        Reference("agent_code", "agent", Agent),
    ),
    description="who attended a training session (issue 8)",
))
