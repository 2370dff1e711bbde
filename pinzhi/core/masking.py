"""Masking of national ID numbers and phone numbers (rules §9).

Pages show masked values; a full value is shown only through `reveal`, which logs it.
"""

import re
from operator import mul

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_ASCII_ZERO = 48 * sum(_ID_WEIGHTS)


def mask_id_number(value: str | None) -> str:
    """440106199001011234 -> 440106********1234 (first 6 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; 020-83981234 -> 020-****1234."""
    if not value:
        return ""
    digits_kept = 4
    if "-" in value:
        area, number = value.split("-", 1)
        return f"{area}-{'*' * max(len(number) - digits_kept, 0)}{number[-digits_kept:]}"
    if len(value) <= 7:
        return "*" * (len(value) - 2) + value[-2:]
    return value[:3] + "*" * (len(value) - 3 - digits_kept) + value[-digits_kept:]


def id_number_checksum_ok(value: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    if len(value) != 18 or not value[:17].isdigit() or not value.isascii():
        return False
    # Sum of weight × ASCII code, less 48 × the weights: the digits' sum, computed in C.
    total = sum(map(mul, value[:17].encode(), _ID_WEIGHTS)) - _ID_ASCII_ZERO
    return _ID_CHECK[total % 11] == value[17].upper()


def normalise_phone(value: str) -> str:
    """Strip spaces, the +86 prefix and stray separators; keep one dash after a landline area."""
    if len(value) == 11 and value[0] == "1" and value.isdigit():
        return value  # the common case, a mobile as it should be written
    v = re.sub(r"[\s()（）]", "", value)
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    if v.startswith("0") and "-" not in v and len(v) >= 10:
        area = 3 if v[1] in "12" else 4  # 010, 02x are 3 digits; the rest 4
        v = f"{v[:area]}-{v[area:]}"
    return v
