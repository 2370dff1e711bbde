"""The rules' cases of the demo's paper files, replayed by the rules' own pure functions
(rules §5, §7.3, §7.4), for the tests of the files and of the demo command."""

import csv
import datetime as dt

from pinzhi.documents import rules as documents
from pinzhi.notices import rules as notices
from pinzhi.receipts import rules as receipts

UNTIL = dt.date(2026, 6, 30)  # the files end before it began; H1 2026 is whole


def day(text):
    return dt.date.fromisoformat(text) if text else None


def receipt_facts(rows):
    long_term = {p["product_code"]: p["long_term"] == "true" for p in rows["products"]}
    collected = {r["policy_no"]: day(r["collected_on"]) for r in rows["receipts"]}
    for p in rows["policies"]:
        policy = receipts.PolicyFacts(day(p["effective_on"]), long_term[p["product_code"]],
                                      p["status"] == "cooling_off_cancelled")
        back = collected.get(p["policy_no"])
        yield p, policy, receipts.ReceiptFacts(back) if back else None


def notice_facts(row):
    return notices.Notice(day(row["due_on"]), day(row["delivered_on"]), day(row["reported_on"]),
                          row["report_false"] == "true", row["harm"] == "true",
                          day(row["issued_on"]))


def rule_cases(rows, as_of=UNTIL):
    """(agent_code, code, occurred_on, order key) of every case the three rules give."""
    cases = []
    for p, policy, receipt in receipt_facts(rows):
        if occurred := receipts.case_due(policy, receipt, as_of):
            cases.append((p["agent_code"], receipts.VIOLATION, occurred, p["policy_no"]))
    for d in rows["valuable_documents"]:
        doc = documents.Document(d["doc_no"], day(d["due_on"]), day(d["returned_on"]))
        if occurred := documents.case_day(doc, as_of):
            cases.append((d["agent_code"], documents.VIOLATION, occurred, d["doc_no"]))
    for n in rows["notices"]:
        if case := notices.notice_case(notice_facts(n), as_of):
            cases.append((n["agent_code"], case[0], case[1], n["notice_no"]))
    return cases


def read_files(directory, kinds=("products", "policies", "receipts", "valuable_documents",
                                 "notices")):
    rows = {}
    for kind in kinds:
        with open(directory / f"{kind}.csv", encoding="utf-8", newline="") as f:
            rows[kind] = list(csv.DictReader(f))
    return rows
