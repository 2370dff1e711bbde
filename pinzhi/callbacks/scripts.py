"""The callback script (rules §4.5): questions per product kind, versioned, and the
findings a "no" reveals.

The regulation's seven items are the default (in code, like a parameter's default); a
company adds `ScriptVersion` rows for all kinds or for one kind from a day on. Questions
apply to every policy, or only to unit-linked products, to sales that were audio-video
recorded (双录: unit-linked, or an applicant aged 60 or more), or to regular premiums.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language

from pinzhi.core.versions import in_force

ALL, UNIT_LINKED, RECORDED, REGULAR = "all", "unit_linked", "recorded", "regular_premium"
RECORDED_FROM_AGE = 60

DEFAULT_QUESTIONS = [
    {"code": "identity", "when": ALL, "finding": "",
     "zh": "请问您是投保人本人吗？", "en": "Am I speaking with the applicant?"},
    {"code": "signed_personally", "when": ALL, "finding": "forged_signature",
     "zh": "您是否购买了本产品，投保单上投保人、被保险人签名是否为本人亲笔所签？",
     "en": "Did you buy this product, and did the applicant and the insured sign the "
           "application personally?"},
    {"code": "read_documents", "when": ALL, "finding": "",
     "zh": "您是否阅读了产品说明书和投保提示书？",
     "en": "Did you read the product brochure and the risk notice?"},
    {"code": "coverage", "when": ALL, "finding": "misleading",
     "zh": "您是否了解保险责任、责任免除和保险期间？",
     "en": "Do you know the coverage, the exclusions and the term?"},
    {"code": "surrender_loss", "when": ALL, "finding": "misleading",
     "zh": "您是否了解退保会有损失？", "en": "Do you know that surrendering loses money?"},
    {"code": "cooling_off", "when": ALL, "finding": "misleading",
     "zh": "您是否了解犹豫期的起算时间、期限及您在犹豫期内的权利？",
     "en": "Do you know when the cooling-off period starts, how long it is and what it "
           "allows?"},
    {"code": "payment_terms", "when": REGULAR, "finding": "",
     "zh": "您是否了解缴费期间和缴费频率？",
     "en": "Do you know the payment period and the payment frequency?"},
    {"code": "investment_risk", "when": UNIT_LINKED, "finding": "investment_risk_concealed",
     "zh": "业务员是否向您说明了投资风险、保费分配和各项费用？",
     "en": "Were the investment risk, the premium allocation and the fees explained?"},
    {"code": "recording_consent", "when": RECORDED, "finding": "",
     "zh": "您是否同意了销售过程的录音录像？",
     "en": "Did you agree to the audio-video recording of the sale?"},
    {"code": "recording_true", "when": RECORDED, "finding": "misleading",
     "zh": "您在录音录像中的陈述是否是您的真实意愿？",
     "en": "Was what you said in the recording your true intention?"},
]


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    finding: str


def questions_for(*, product_kind: str, payment_mode: str, applicant_id_number: str,
                  signed_on: dt.date, on: dt.date, versions=()) -> list[Question]:
    """The questions for one policy's call on `on`. `versions`: (product_kind, valid_from,
    questions) of the stored script versions."""
    specific = in_force(((None, v, q) for k, v, q in versions if k == product_kind), on=on,
                        path=[])
    general = in_force(((None, v, q) for k, v, q in versions if k == ""), on=on, path=[])
    script = specific or general or DEFAULT_QUESTIONS
    applies = {ALL, *([UNIT_LINKED] if product_kind == "unit_linked" else []),
               *([REGULAR] if payment_mode not in ("single",) else [])}
    if product_kind == "unit_linked" or _age(applicant_id_number, signed_on) >= RECORDED_FROM_AGE:
        applies.add(RECORDED)
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    return [Question(q["code"], q.get(lang) or q.get("zh", q["code"]), q.get("finding", ""))
            for q in script if q.get("when", ALL) in applies]


def findings_from(questions: list[Question], answers: dict[str, str]) -> list[str]:
    """The findings the "no" answers reveal, each once, in script order."""
    found = []
    for q in questions:
        if q.finding and answers.get(q.code) == "no" and q.finding not in found:
            found.append(q.finding)
    return found


def _age(id_number: str, on: dt.date) -> int:
    """Age from an 18-digit resident ID (birth date in digits 7–14); 0 if unknown."""
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, IndexError):
        return 0
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
