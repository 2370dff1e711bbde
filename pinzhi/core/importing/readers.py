"""Read a feed file as (row number, cells): CSV in UTF-8, UTF-8 with BOM or GB18030, or XLSX.

Streamed: a file of any size is read a row at a time. Row numbers are those a person sees
in Excel: the header is row 1, the first data row is row 2. Hostile files (a zip bomb, a
billion laughs, binary junk) are refused before they cost memory (docs/imports.md).
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from xml.etree import ElementTree

from django.conf import settings

SNIFF_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
MAX_LINE_CHARS = 1 << 20  # a row is a few hundred characters; csv's own cell limit is 128 Ki
MAX_COLUMNS = 1000


class FileRejected(Exception):
    """The file as a whole cannot be read (not a table, wrong encoding, bad header)."""


class HostileFile(FileRejected):
    """Refused as built to harm (a zip bomb, XML entities): audited as `import.hostile`."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str


def detect_encoding(sample: bytes) -> str:
    """UTF-8 with BOM, else UTF-8 if the sample decodes, else GB18030 (what Chinese Excel saves).

    GB18030 is a superset of GBK and GB2312, so GBK files read correctly with it.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def open_table(stream: BinaryIO, filename: str = "") -> Table:
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE2_MAGIC):
        raise FileRejected("an Excel 97-2003 (.xls) or password-protected workbook: "
                           "save it as .xlsx or CSV, without a password")
    if head.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _open_xlsx(stream)
    else:
        table = _open_csv(stream)
    if len(table.header) > MAX_COLUMNS:
        raise FileRejected(f"the header has {len(table.header)} columns; "
                           f"a feed has at most {MAX_COLUMNS}")
    return table


def _first_bad_text(stream: BinaryIO, encoding: str) -> tuple[int, str]:
    """(line, reason) of the first bytes that are not `encoding` text: read again from the
    start, only when decoding failed (the text reader decodes ahead, by blocks)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    while True:
        chunk = stream.read(1 << 16)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            line += exc.object.count(b"\n", 0, exc.start)  # what the decoder held: no newline
            if exc.reason in ("unexpected end of data", "incomplete multibyte sequence"):
                return line, "the file ends inside a character: was it cut short?"
            return line, f"not {encoding.upper()} text (byte 0x{exc.object[exc.start]:02x})"
        if not chunk:
            return line, "not readable text"
        line += chunk.count(b"\n")


def _open_csv(stream: BinaryIO) -> Table:
    sample = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if b"\x00" in sample:
        raise FileRejected("not a CSV or XLSX file: binary content (NUL bytes)")
    encoding = detect_encoding(sample)
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        line, _ = _first_bad_text(stream, encoding)
        raise FileRejected(f"not a CSV or XLSX file: line {line} is neither UTF-8 nor "
                           f"GB18030 text") from None
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    reader = csv.reader(_checked_lines(text))
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        raise _text_rejected(stream, encoding) from None
    except csv.Error as exc:
        raise FileRejected(f"cannot read the header row: {exc}") from None
    if not header:
        raise FileRejected("the file is empty")

    def rows():
        row_no = 1
        try:
            for cells in reader:
                row_no += 1
                if any(c.strip() for c in cells):
                    yield row_no, cells
        except UnicodeDecodeError:
            raise _text_rejected(stream, encoding) from None
        except csv.Error as exc:
            raise FileRejected(f"row {row_no + 1}: {exc}") from None

    return Table([h.strip().lstrip("\ufeff") for h in header], rows(), encoding)


def _checked_lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The file's lines, refusing what no CSV holds: NUL characters (binary content; and
    PostgreSQL refuses them in text) and a line too long to be a row (memory)."""
    number = 0
    while line := text.readline(MAX_LINE_CHARS):
        number += 1
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise FileRejected(f"not a CSV or XLSX file: line {number} is longer than "
                               f"{MAX_LINE_CHARS} characters")
        if "\x00" in line:
            raise FileRejected(f"not a CSV or XLSX file: line {number} holds binary "
                               f"content (NUL bytes)")
        yield line


def _text_rejected(stream: BinaryIO, encoding: str) -> FileRejected:
    line, reason = _first_bad_text(stream, encoding)
    return FileRejected(f"line {line}: {reason}")


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV would carry: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 0.1, not 0.1000…01.
        if value == int(value):
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _open_xlsx(stream: BinaryIO) -> Table:
    from openpyxl import load_workbook

    check_xlsx(stream)
    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_cells = next(values, None)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(exc) from None
    if not header_cells:
        raise FileRejected("the first sheet is empty")
    header = [_cell_text(c) for c in header_cells]
    while header and not header[-1]:
        header.pop()

    def rows():
        row_no = 1
        try:
            for row_no, cells in enumerate(values, start=2):
                texts = [_cell_text(c) for c in cells]
                if any(texts):
                    yield row_no, texts
        except Exception as exc:  # a part cut short or not XML, a bad checksum: damaged
            raise FileRejected(f"after row {row_no}: {_damaged(exc)}") from None
        book.close()

    return Table(header, rows(), "xlsx")


def _damaged(exc: Exception) -> FileRejected:
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    return FileRejected(f"damaged XLSX file ({exc.__class__.__name__}"
                        + (f": {detail})" if detail else ")"))


# An XLSX is a zip of XML parts. Before openpyxl unpacks anything, the zip's directory is
# checked (sizes as declared there are what zipfile enforces while unpacking: a part can
# not unpack to more than its declared size without failing its checksum), and the start
# of every part, for a DTD (entities: "billion laughs"; XLSX never needs one).
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MAX_PARTS = 10_000
RATIO_FLOOR = 1 << 20  # parts smaller than this may pack as tightly as they like
XML_HEAD = 8 << 10
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
_ELEMENT_START = re.compile(r"<[^!?]")


def xlsx_limits() -> dict[str, int]:
    """The limits, from settings (see docs/imports.md, "Hostile files")."""
    upload = getattr(settings, "PINZHI_UPLOAD_MAX_BYTES", 200 << 20)
    return {
        "ratio": getattr(settings, "PINZHI_XLSX_MAX_RATIO", 100),
        "part": getattr(settings, "PINZHI_XLSX_MAX_PART_BYTES", 128 << 20),
        "unpacked": getattr(settings, "PINZHI_XLSX_MAX_UNPACKED_BYTES", 20 * upload),
    }


def check_xlsx(stream: BinaryIO) -> None:
    """Refuse a zip bomb, a cut or non-zip file, and XML with a DTD, before unpacking."""
    limits = xlsx_limits()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise FileRejected("damaged XLSX file: not a complete zip archive "
                           "(cut short, or not an XLSX file)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise HostileFile(f"not an XLSX file: {len(parts)} parts in the zip "
                               f"(at most {MAX_PARTS})")
        unpacked = sum(p.file_size for p in parts)
        if unpacked > limits["unpacked"]:
            raise HostileFile(f"XLSX file refused: it unpacks to {_mb(unpacked)} "
                               f"(at most {_mb(limits['unpacked'])})")
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR and ratio > limits["ratio"]:
                raise HostileFile(
                    f"XLSX file refused: part {part.filename} unpacks to {ratio:.0f} times "
                    f"its packed size (at most {limits['ratio']}): a zip bomb?")
        streamed = _worksheets(archive, limits)
        for part in parts:
            # Worksheets are streamed (read-only mode); openpyxl reads every other part whole.
            if part.file_size > limits["part"] and not streamed(part.filename):
                raise HostileFile(f"XLSX file refused: part {part.filename} unpacks to "
                                   f"{_mb(part.file_size)} (at most {_mb(limits['part'])})")
            _check_xml_head(archive, part)


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


def _worksheets(archive: zipfile.ZipFile, limits: dict):
    """Whether a part is a worksheet, as [Content_Types].xml declares: that is how openpyxl
    finds the shared strings, so a part declared only a worksheet is never read whole."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise FileRejected("not an XLSX file: a zip without [Content_Types].xml") from None
    if info.file_size > limits["part"]:
        raise HostileFile(f"XLSX file refused: [Content_Types].xml unpacks to "
                           f"{_mb(info.file_size)}")
    _check_xml_head(archive, info)
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise _damaged(exc) from None
    defaults, overrides = {}, {}
    for item in root:
        if item.tag.endswith("}Default"):
            defaults.setdefault(item.get("Extension", "").lower(), set()).add(
                item.get("ContentType"))
        elif item.tag.endswith("}Override"):  # PartName[1:]: the member openpyxl opens
            overrides.setdefault(item.get("PartName", "")[1:], set()).add(
                item.get("ContentType"))

    def streamed(name: str) -> bool:
        declared = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower())
        return declared == {WORKSHEET_TYPE}  # declared a worksheet, and nothing else

    return streamed


def _check_xml_head(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse a part whose XML prolog declares a DTD, or runs on past XML_HEAD: a DTD can
    only stand before the first element, so the head of the part settles it."""
    try:
        with archive.open(part) as source:
            raw = source.read(XML_HEAD)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise _damaged(exc) from None
    text = _xml_text(raw).lstrip()
    if not text.startswith("<"):
        return  # not XML (an image, a binary part): no XML parser reads it as XML
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        position = match.end()
    rest = text[position:].lstrip()
    if rest.startswith("<!") and not rest.startswith("<!--"):
        raise HostileFile(f"XLSX file refused: part {part.filename} declares a DTD "
                           f"(<!DOCTYPE>, entities), which an XLSX never needs")
    if not _ELEMENT_START.match(rest) and len(raw) == XML_HEAD:
        raise HostileFile(f"XLSX file refused: part {part.filename} has no element in "
                           f"its first {XML_HEAD} bytes")


def _xml_text(raw: bytes) -> str:
    """Enough of the part's text to read its prolog, in any encoding an XML parser takes."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("latin-1")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    if raw[:2] == b"<\x00":
        return raw.decode("utf-16-le", "replace")
    if raw[:2] == b"\x00<":
        return raw.decode("utf-16-be", "replace")
    return raw.decode("latin-1")  # UTF-8 and every single-byte encoding: markup is ASCII
