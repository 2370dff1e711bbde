"""Recruitment's facts that can be voided (rules §3): a candidate recorded by mistake, a
check recorded wrong (`pinzhi void recruitment_check R1/criminal_record/2026-05-10`).
Once the contract is signed they are the record the law wants kept: never voided."""

import datetime as dt

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Candidate, RecruitmentCheck


def _contracted(candidate: Candidate) -> str | None:
    return "the contract is signed: it is the agent's record" if candidate.agent_id else None


def _check_contracted(check: RecruitmentCheck) -> str | None:
    return _contracted(check.candidate)


def _check_lookup(key: str) -> dict:
    no, kind, day = key.split("/")  # a ValueError is shown with the key's help
    return {"candidate__candidate_no": no, "kind": kind,
            "checked_on": dt.date.fromisoformat(day)}


register_void_kind(VoidKind("candidate", Candidate, "candidate_no", "candidates",
                            guard=_contracted))
register_void_kind(VoidKind("recruitment_check", RecruitmentCheck, "id", "recruitment_checks",
                            guard=_check_contracted, lookup=_check_lookup,
                            key_help="CANDIDATE/KIND/YYYY-MM-DD"))
