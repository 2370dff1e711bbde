"""Files out: CSV (UTF-8 with BOM, so that Excel opens Chinese correctly) or XLSX.

Numbers stay numbers; a text cell beginning with `=`, `+`, `-` or `@` is neutralised
with a leading apostrophe, so a spreadsheet never runs it as a formula.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_table(path: str | Path, header: list[str], rows: Iterable[list]) -> int:
    """Write rows (streamed) to `path`: XLSX when it ends in .xlsx, else CSV. Returns rows."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(path, header, rows)
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(v) if not isinstance(v, Decimal) else f"{v}"
                             for v in row])
            count += 1
    return count


def _write_xlsx(path: Path, header: list[str], rows: Iterable[list]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
        count += 1
    book.save(path)
    return count


@dataclass(frozen=True)
class ExportKind:
    """An export of `pinzhi export KIND ...`: its arguments and how it writes."""

    kind: str
    add_arguments: Callable
    write: Callable  # (options, out_path) -> rows written; raises ValueError for bad input


EXPORTS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    EXPORTS[kind.kind] = kind
    return kind
