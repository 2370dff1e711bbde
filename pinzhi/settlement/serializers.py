"""How a settlement looks on the wire (/api/v1/, pinzhi/settlement/api.py).

Money is yuan with 2 decimals as strings, in and out, never JSON numbers (rules §1);
months are `YYYY-MM`; rows are named by natural keys (agent codes, policy numbers,
usernames). The per-agent row has exactly the columns of `pinzhi export settlement`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pinzhi.api.fields import ReadOnlyField, YuanField
from pinzhi.api.serializers import VOID_FIELDS, VoidableSerializer
from pinzhi.core.money import parse_yuan, yuan

from . import rules, statements
from .models import Action, Adjustment, Settlement

MONTH_PATTERN = r"^\d{4}-\d{2}$"
STRINGS = {"type": "array", "items": {"type": "string"}}
MAX_FEN = 10**14  # a trillion yuan: far beyond any correction, far below 2**63 fen


# -- fields ------------------------------------------------------------------------------

@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as `YYYY-MM` (its first day in the database)."""

    def to_representation(self, value):
        return rules.month_label(value)

    def to_internal_value(self, data):
        try:
            return rules.parse_month(str(data))
        except ValueError:
            raise serializers.ValidationError("a month YYYY-MM") from None


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d{1,2})?$",
                      "example": "-20.00", "description": "signed yuan as a string, at most "
                      "2 decimals, not 0"})
class YuanInField(serializers.Field):
    """Yuan in, whole fen out. A string only: a JSON number is a binary float, and money
    never passes through a float (rules §1)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError('a decimal string of yuan, such as "-20.00"')
        try:
            fen = parse_yuan(data)
        except ValueError as exc:
            raise serializers.ValidationError(f"{exc}: {data!r}") from None
        if fen == 0:  # the service refuses it too; it is a malformed request, not a 409
            raise serializers.ValidationError("an amount other than 0")
        if abs(fen) >= MAX_FEN:  # "1e30" parses, and would overflow the bigint column
            raise serializers.ValidationError(f"too large: {data!r}")
        return fen

    def to_representation(self, value):
        return str(yuan(value))


@extend_schema_field(STRINGS)
class ReasonsField(ReadOnlyField):
    """The reason codes of a line; an `adjust` line's one written reason (which may hold
    a `;` of its own, so it is not split)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, line):
        if line["action"] == rules.ADJUST:
            return [line["reasons"]]
        return [r for r in line["reasons"].split(";") if r]


TotalsSerializer = type("SettlementTotalsSerializer", (serializers.Serializer,), {
    name: YuanField(help_text="interfaces.md, settlement columns") for name in rules.COLUMNS})


class SettlementRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True, help_text="why it was refused")


class SettlementSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                        help_text="its subtree; null: the whole company")
    computed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True,
                                               help_text="null: the system account")
    closed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                             allow_null=True, help_text="null: a draft")
    totals = TotalsSerializer(read_only=True, allow_null=True,
                              help_text="null while the draft is being computed")

    class Meta:
        model = Settlement
        fields = ("month", "unit", "status", "cutoff", "computed_by", "computed_at",
                  "closed_by", "closed_at", "policies", "lines", "totals")
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # A draft being computed has no totals yet ({}): null, not an object missing
        # every documented column (schemathesis found it).
        if not instance.totals:
            data["totals"] = None
        return data


AgentRowSerializer = type("SettlementAgentRowSerializer", (serializers.Serializer,), {
    "__doc__": "One agent's month: the columns of `pinzhi export settlement`.",
    "month": serializers.CharField(read_only=True),
    "agent_code": serializers.CharField(read_only=True),
    "agent_name": serializers.CharField(read_only=True),
    "unit_code": serializers.CharField(read_only=True, help_text="the agent's team"),
    **{name: serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
       for name in rules.COLUMNS}})


class SettlementLineSerializer(serializers.Serializer):
    month = serializers.CharField(read_only=True)
    agent_code = serializers.CharField(read_only=True)
    policy_no = serializers.CharField(read_only=True, allow_null=True,
                                      help_text="null: an adjustment of no one policy")
    action = serializers.ChoiceField(Action.choices, read_only=True)
    amount = YuanField(source="amount_fen", help_text="positive, except adjust (signed)")
    reasons = ReasonsField()
    rule_version = serializers.CharField(read_only=True)
    closed = serializers.BooleanField(read_only=True, help_text="true: in the ledger, for "
                                      "good; false: a draft line, which may still change")


class SettlementRunSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                 help_text="unit code: its subtree only; empty: the company")


class SettlementQuery(serializers.Serializer):
    month = MonthField(required=False)
    status = serializers.ChoiceField(Settlement.Status.choices, required=False)


class AgentsQuery(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="unit code: only its subtree")


class LinesQuery(serializers.Serializer):
    agent = serializers.CharField(required=False, help_text="agent code")
    policy = serializers.CharField(required=False, help_text="policy number")
    action = serializers.ChoiceField(Action.choices, required=False)


# -- adjustments ----------------------------------------------------------------------

class AdjustmentSerializer(VoidableSerializer):
    month = MonthField(read_only=True, help_text="the month whose settlement carries it")
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    policy_no = serializers.CharField(source="policy.policy_no", read_only=True,
                                      allow_null=True)
    amount = YuanField(source="amount_fen", help_text="signed")
    by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                      help_text="who recorded it")

    class Meta:
        model = Adjustment
        fields = ("id", "month", "agent_code", "policy_no", "amount", "reason", "by",
                  *VOID_FIELDS)
        read_only_fields = fields


class AdjustmentInSerializer(serializers.Serializer):
    agent_code = serializers.CharField(max_length=20)
    policy_no = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                      help_text="the one policy it corrects, if any")
    amount = YuanInField()
    reason = serializers.CharField(max_length=4000, help_text="the written reason")


class AdjustmentQuery(serializers.Serializer):
    month = MonthField(required=False)
    agent = serializers.CharField(required=False, help_text="agent code")


# -- statements ----------------------------------------------------------------------

class StatementHintSerializer(serializers.Serializer):
    reason = serializers.CharField(read_only=True, help_text="withhold reason code")
    text = serializers.CharField(read_only=True, help_text="what the agent can do about it")


class StatementLineSerializer(serializers.Serializer):
    action = serializers.ChoiceField(Action.choices, read_only=True)
    amount = YuanField(source="amount_fen")
    reasons = ReasonsField()
    rule_version = serializers.CharField(read_only=True)


class StatementPolicySerializer(serializers.Serializer):
    policy_no = serializers.CharField(read_only=True, allow_null=True,
                                      help_text="null: adjustments of no one policy")
    lines = StatementLineSerializer(many=True, read_only=True)


class StatementWithheldSerializer(serializers.Serializer):
    policy_no = serializers.CharField(read_only=True)
    amount = YuanField(source="amount_fen", help_text="the commission withheld")
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    hints = StatementHintSerializer(many=True, read_only=True)


class StatementSerializer(serializers.Serializer):
    agent_code = serializers.CharField(read_only=True)
    agent_name = serializers.CharField(read_only=True)
    unit_code = serializers.CharField(read_only=True, help_text="the agent's team")
    month = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField([("closed", "closed"), ("draft", "draft"),
                                    ("forecast", "forecast")], read_only=True,
                                   help_text="forecast: what the coming cutoff will do if "
                                   "nothing changes")
    cutoff = serializers.DateTimeField(read_only=True)
    totals = TotalsSerializer(read_only=True)
    policies = StatementPolicySerializer(many=True, read_only=True)
    withheld = StatementWithheldSerializer(many=True, read_only=True)


def statement_body(s: statements.Statement) -> dict:
    def line(action, amount, reasons, version, _enters):
        return {"action": action, "amount_fen": amount, "reasons": reasons,
                "rule_version": version}

    withheld = []
    for item in s.withheld_items:
        main = next(x for x in item.lines if x[0] == rules.WITHHOLD)
        withheld.append({"policy_no": item.policy_no, "amount_fen": main[1],
                         "reasons": [r for r in main[2].split(";") if r],
                         "hints": item.hints})
    return {"agent_code": s.agent.code, "agent_name": s.agent.name,
            "unit_code": s.agent.team.code, "month": s.label, "kind": s.kind,
            "cutoff": s.cutoff, "totals": s.totals.as_dict(), "withheld": withheld,
            "policies": [{"policy_no": i.policy_no or None,
                          "lines": [line(*x) for x in i.lines]} for i in s.items]}
