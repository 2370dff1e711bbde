"""Money: stored as integer fen, handled as Decimal yuan at the edges (rules §1).

The one place where amounts are rounded: half-up at 0.01 yuan. SQLite keeps Django
decimals as floating point, so nothing in the database is a decimal: sums of fen are
exact on every engine.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def round_half_up(value: Decimal | int | str, places: int = 2) -> Decimal:
    """Round half-up to `places` decimals (2 for money, 4 for rates, 1 for points)."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def to_fen(yuan: Decimal | int | str) -> int:
    """Yuan (any precision) to whole fen, rounded half-up."""
    return int(round_half_up(Decimal(yuan), 2) * 100)


def yuan(fen: int | None) -> Decimal | None:
    """Whole fen to yuan with exactly 2 decimals."""
    if fen is None:
        return None
    return (Decimal(int(fen)) / 100).quantize(CENT)


def parse_yuan(text: str) -> int:
    """A money cell of a file (at most 2 decimals, no float) to fen; ValueError if not one."""
    cleaned = text.strip().replace(",", "").replace("¥", "").replace("￥", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not an amount") from None
    if not value.is_finite():
        raise ValueError("not an amount")
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):
        raise ValueError("more than 2 decimals")
    return int(value * 100)


def format_yuan(fen: int | None) -> str:
    """1234550 -> '12,345.50' (for pages; files carry plain numbers)."""
    if fen is None:
        return ""
    return f"{yuan(fen):,.2f}"
