"""Money done right (rules §1): integer fen, Decimal yuan, half-up in one helper."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from pinzhi.core.money import format_yuan, parse_yuan, round_half_up, to_fen, yuan


@pytest.mark.parametrize(
    "value, places, expected",
    [
        ("0.125", 2, "0.13"),  # half-up, not banker's (0.12)
        ("0.135", 2, "0.14"),
        ("-0.125", 2, "-0.13"),  # half away from zero
        ("2.5", 0, "3"),
        ("0.66665", 4, "0.6667"),  # rates: 4 places
        ("14.25", 1, "14.3"),  # points: 1 place
    ],
)
def test_round_half_up(value, places, expected):
    assert round_half_up(Decimal(value), places) == Decimal(expected)


@pytest.mark.parametrize(
    "text, fen",
    [("1200", 120000), ("1200.5", 120050), ("35.50", 3550), ("0.10", 10), ("1,234.56", 123456),
     ("0", 0), ("1.500", 150)],
)
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["1.234", "abc", "", "NaN", "1e400x"])
def test_parse_yuan_refuses(text):
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_yuan_and_fen_round_trip():
    assert yuan(3550) == Decimal("35.50")
    assert to_fen(Decimal("35.505")) == 3551
    assert format_yuan(123456789) == "1,234,567.89"


@pytest.mark.django_db
def test_a_million_dimes_sum_exactly(company):
    """1,000,000 × 0.10 yuan summed in the database is exactly 100000.00 (SQLite too)."""
    from pinzhi.policies.models import Policy

    template = company.policies["P1"]
    columns = [f.column for f in Policy._meta.concrete_fields if f.column != "id"]
    table = Policy._meta.db_table
    values = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection)
              for f in Policy._meta.concrete_fields if f.column != "id"}
    values["commission_fen"] = to_fen("0.10")
    Policy.objects.all().delete()
    rows = 1_000_000
    with connection.cursor() as cur:
        # One set-based insert: a recursive counter, the same SQL on SQLite and PostgreSQL.
        select = ", ".join("%s" if c != "policy_no" else "'M' || n" for c in columns)
        params = [values[c] for c in columns if c != "policy_no"]
        cur.execute(
            f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM seq",
            [rows, *params],
        )
    total = Policy.objects.aggregate(total=Sum("commission_fen"))["total"]
    assert total == 10_000_000
    assert yuan(total) == Decimal("100000.00")
    assert str(yuan(total)) == "100000.00"
