"""Read a feed file as (row number, cells): CSV in UTF-8, UTF-8 with BOM or GB18030, or XLSX.

Streamed: a file of any size is read a row at a time. Row numbers are those a person sees
in Excel: the header is row 1, the first data row is row 2.
"""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

SNIFF_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"


class FileRejected(Exception):
    """The file as a whole cannot be read (not a table, wrong encoding, bad header)."""


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
    head = stream.read(4)
    stream.seek(0)
    if head == XLSX_MAGIC or filename.lower().endswith((".xlsx", ".xlsm")):
        return _open_xlsx(stream)
    return _open_csv(stream)


def _open_csv(stream: BinaryIO) -> Table:
    sample = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if b"\x00" in sample[:4096]:
        raise FileRejected("not a CSV or XLSX file (binary content)")
    encoding = detect_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
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
            raise FileRejected(f"row {row_no + 1}: not valid {encoding} text") from None
        except csv.Error as exc:
            raise FileRejected(f"row {row_no + 1}: {exc}") from None

    return Table([h.strip().lstrip("\ufeff") for h in header], rows(), encoding)


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

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRejected(f"not a readable XLSX file: {exc.__class__.__name__}") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header_cells = next(values, None)
    if not header_cells:
        raise FileRejected("the first sheet is empty")
    header = [_cell_text(c) for c in header_cells]
    while header and not header[-1]:
        header.pop()

    def rows():
        for row_no, cells in enumerate(values, start=2):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                yield row_no, texts
        book.close()

    return Table(header, rows(), "xlsx")
