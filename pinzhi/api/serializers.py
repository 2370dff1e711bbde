"""How units, agents, products and policies look on the wire.

Rows are named by their natural keys (codes, policy numbers), never by database ids, as
in the import files (interfaces.md). Personal numbers are masked; money is yuan strings.
"""

from rest_framework import serializers

from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, Product

from .fields import MaskedPhoneListField, YuanField, masked_id_number, masked_phone

# Every fact may be voided (rules §3); the fields are always there, empty for live rows,
# so that clients asking `include_voided=true` see one shape.
VOID_FIELDS = ("voided_at", "voided_by", "void_reason", "created_at", "updated_at")


class VoidableSerializer(serializers.ModelSerializer):
    voided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True,
        help_text="username of who voided the row; null for live rows",
    )


class UnitSerializer(VoidableSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="null: head office, the root")
    phones_masked = MaskedPhoneListField(source="phones")

    class Meta:
        model = Unit
        fields = ("code", "name", "level", "parent", "path", "phones_masked", *VOID_FIELDS)
        read_only_fields = fields


class AgentSerializer(VoidableSerializer):
    team = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    id_number_masked = masked_id_number("id_number")
    phone_masked = masked_phone("phone")

    class Meta:
        model = Agent
        fields = (
            "code", "name", "id_number_masked", "phone_masked", "rank", "team", "team_name",
            "status", "hired_on", "left_on", *VOID_FIELDS,
        )
        read_only_fields = fields


class ProductSerializer(VoidableSerializer):
    class Meta:
        model = Product
        fields = ("code", "name", "kind", "long_term", "cooling_off_days", *VOID_FIELDS)
        read_only_fields = fields


class PolicySerializer(VoidableSerializer):
    agent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    team = serializers.CharField(
        source="agent.team.code", read_only=True, help_text="code of the agent's team (now)"
    )
    product = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicant_id_number_masked = masked_id_number("applicant_id_number")
    applicant_phone_masked = masked_phone("applicant_phone")
    insured_id_number_masked = masked_id_number("insured_id_number")
    premium = YuanField(source="premium_fen")
    commission = YuanField(source="commission_fen")

    class Meta:
        model = Policy
        fields = (
            "policy_no", "agent", "agent_name", "team", "product",
            "applicant_name", "applicant_id_number_masked", "applicant_phone_masked",
            "insured_name", "insured_id_number_masked",
            "premium", "payment_mode", "commission",
            "signed_on", "printed_on", "effective_on", "status", "status_on",
            *VOID_FIELDS,
        )
        read_only_fields = fields


class UnmaskedSerializer(serializers.Serializer):
    """One full value, served by an audited `unmask` endpoint."""

    key = serializers.CharField(read_only=True, help_text="natural key of the row")
    field = serializers.CharField(read_only=True)
    value = serializers.CharField(read_only=True)


class RefusedSerializer(serializers.Serializer):
    """A service's refusal (409): why, and nothing was changed."""

    detail = serializers.CharField(read_only=True, help_text="why the change was refused")
