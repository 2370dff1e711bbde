"""The cell parsers and masking, without a database: one row per rule of the contract."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.readers import detect_encoding
from pinzhi.core.masking import id_number_checksum_ok, mask_id_number, mask_phone

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("text, expected", [
    # rules §1: a timestamp without an offset is read as +08:00
    ("2026-03-02T10:15:00", dt.datetime(2026, 3, 2, 10, 15, tzinfo=SH)),
    ("2026-03-02T10:15:00+08:00", dt.datetime(2026, 3, 2, 10, 15, tzinfo=SH)),
    ("2026-03-02T02:15:00Z", dt.datetime(2026, 3, 2, 10, 15, tzinfo=SH)),
    ("2026-03-02 10:15", dt.datetime(2026, 3, 2, 10, 15, tzinfo=SH)),
])
def test_timestamp(text, expected):
    assert p.timestamp(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2026-01-31", dt.date(2026, 1, 31)),
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("2026-03-05 00:00:00", dt.date(2026, 3, 5)),  # a spreadsheet's date cell
    ("2026-03-05T00:00:00", dt.date(2026, 3, 5)),
])
def test_date(text, expected):
    assert p.date(text) == expected


@pytest.mark.parametrize("text", ["2026/03/05", "20260305", "2026-02-29", "2026-3-5",
                                  "2026-03-05 10:00:00", "昨天"])
def test_date_refuses(text):
    with pytest.raises(ValueError):
        p.date(text)


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("TRUE", True), ("yes", True), ("1", True), ("是", True),
    ("false", False), ("no", False), ("0", False), ("否", False),
])
def test_boolean(text, expected):
    assert p.boolean(text) is expected


@pytest.mark.parametrize("parse, text", [
    (p.boolean, "maybe"), (p.money, "-1.00"), (p.money, "1.005"), (p.integer(1, 60), "0"),
    (p.integer(1, 60), "1.5"), (p.choice("a", "b"), "c"), (p.code(), "A 1"),
    (p.text(3), "四个字啊"), (p.mobile, "02083981234"), (p.resident_id, "110101199003071234"),
    (p.identity_document, "E1"), (p.landlines, "020-8398;abc"),
])
def test_refusals(parse, text):
    with pytest.raises(ValueError):
        parse(text)


@pytest.mark.parametrize("text, expected", [
    ("110101199003071233", "110101199003071233"),
    ("44010619920415018x", "44010619920415018X"),  # a lower-case check letter is accepted
    ("E12345678", "E12345678"),  # a passport: not a national ID, not checked
])
def test_identity_document(text, expected):
    assert p.identity_document(text) == expected


@pytest.mark.parametrize("value, ok", [
    ("110101199003071233", True), ("110101199003071234", False), ("11010119900307123", False),
    ("11010119900307123Ｘ", False),
])
def test_id_checksum(value, ok):
    assert id_number_checksum_ok(value) is ok


@pytest.mark.parametrize("value, masked", [  # rules §9
    ("440106199001011234", "440106********1234"),
    ("13812345678", "138****5678"),
    ("020-83981234", "020-****1234"),
    ("", ""),
])
def test_masks(value, masked):
    mask = mask_phone if len(value) < 15 else mask_id_number
    assert mask(value) == masked


@pytest.mark.parametrize("sample, encoding", [
    ("policy_no,姓名\n".encode("utf-8-sig"), "utf-8-sig"),
    ("policy_no,姓名\n".encode(), "utf-8"),
    ("policy_no,姓名\n".encode("gbk"), "gb18030"),
    ("policy_no,name\n".encode("ascii"), "utf-8"),
    ("姓名".encode()[:-1], "utf-8"),  # a sample cut inside a character is still UTF-8
])
def test_detect_encoding(sample, encoding):
    assert detect_encoding(sample) == encoding
