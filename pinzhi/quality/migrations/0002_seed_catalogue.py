"""Head office's catalogue (rules §7.1) and default thresholds (rules §7.6), from 2010."""

import datetime as dt

from django.db import migrations

FROM = dt.date(2010, 1, 1)  # the head-office table (2010 edition) took effect then

# code, article, points (tenths), tier_after, tier points (tenths), Chinese, English
CATALOGUE = [
    ("receipt_not_returned", "3", 10, None, None, "不回销保单回执", "policy receipt not returned"),
    ("notice_late", "4", 10, None, None,
     "函件、问题件、批单等未按时送达客户或未及时、真实反馈",
     "notice or document not delivered or reported back in time, or reported untruthfully"),
    ("notice_harm", "5", 100, None, None, "函件未按时送达或反馈不实，导致投诉或损失",
     "notice not delivered or reported in time, causing a complaint or a loss"),
    ("documents_overdue", "16, 17", 10, 10, 20, "超期未回销有价单证",
     "valuable documents not returned by their due date"),
    ("claim_noncooperation", "18", 5, None, None, "理赔调查中不配合或隐瞒线索，致保险事故不能认定",
     "not cooperating in a claim investigation, or hiding leads"),
    ("investment_risk_concealed", "35", 100, None, None,
     "向客户隐瞒投资风险、投资账户保费分配方式及各项费用",
     "concealing the investment risk, premium allocation or fees of an investment account"),
    ("benefit_promised", "36", 200, None, None, "承诺给予保险合同规定以外的其他利益",
     "promising benefits outside the contract"),
    ("extra_fee_collected", "37", 200, None, None, "收取保险费以外的费用",
     "collecting anything beyond the premium"),
    ("terms_changed", "38", 100, None, None, "未经公司同意擅自变更保险条款、保险责任、保险费率",
     "changing terms, coverage or premium rates without the company's consent"),
    ("forged_signature", "第五条", 100, None, None, "代签名", "forged signature"),
    ("false_customer_info", "", 50, None, None, "提供虚假客户资料（以本人或网点电话作为客户电话）",
     "false customer information (the agent's or a unit's phone given as the customer's)"),
    ("misleading_sales", "", 100, None, None, "销售误导", "misleading sales"),
]

LINES = [
    [0, "good", []],
    [50, "warned", ["warning_letter", "remedial_training"]],
    [80, "restricted", ["no_promotion", "no_club"]],
    [120, "failed", ["no_maintenance"]],
    [240, "termination", ["termination_review"]],
]


def seed(apps, schema_editor):
    ViolationType = apps.get_model("quality", "ViolationType")
    ViolationVersion = apps.get_model("quality", "ViolationVersion")
    StandingScheme = apps.get_model("quality", "StandingScheme")
    for code, article, tenths, tier_after, tier_tenths, zh, en in CATALOGUE:
        kind = ViolationType.objects.create(code=code)
        ViolationVersion.objects.create(
            type=kind, valid_from=FROM, name_zh=zh, name_en=en, article=article,
            points_tenths=tenths, tier_after=tier_after, tier_points_tenths=tier_tenths)
    StandingScheme.objects.create(valid_from=FROM, lines=LINES,
                                  single_case_termination_tenths=200)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
