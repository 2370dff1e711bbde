"""Hostile feed files, built in a test's tmp_path (never committed): a zip bomb, a billion
laughs, a cut file, binary junk, a large plain CSV. Each is what an attacker (or an
accident) would send, shaped as an XLSX or CSV so that it reaches the readers."""

import random
import zipfile
from pathlib import Path

from openpyxl import Workbook

SST_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
PRODUCTS_HEADER = ["product_code", "name", "kind", "long_term", "cooling_off_days"]
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SAMPLE_PRODUCT = ["X1", "a", "health", "yes", 15]
KINDS = ("traditional", "participating", "universal", "health", "accident")


def xlsx(path: Path, rows: list[list]) -> Path:
    """A well-formed workbook, as openpyxl (like Excel) writes it: strings shared."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def repacked(src: Path, dst: Path, parts: dict) -> Path:
    """A copy of the zip `src` with parts replaced or added: bytes, or a function writing
    the part to a file object (for parts too large to hold)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        names = [i.filename for i in old.infolist()]
        for name in names + [n for n in parts if n not in names]:
            part = parts.get(name, None)
            if part is None:
                new.writestr(old.getinfo(name), old.read(name))
            elif callable(part):
                with new.open(name, "w", force_zip64=True) as out:
                    part(out)
            else:
                new.writestr(name, part)
    return dst


def with_shared_strings(plain: Path, dst: Path, strings) -> Path:
    """`plain` with a shared-strings part (openpyxl writes inline strings; Excel shares
    them), declared in [Content_Types].xml, which is where readers look for it."""
    with zipfile.ZipFile(plain) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                          b'ContentType="' + SST_TYPE + b'" /></Types>')
    return repacked(plain, dst, {"[Content_Types].xml": types, "xl/sharedStrings.xml": strings})


def zip_bomb_xlsx(path: Path, unpacked: int = 256 << 20) -> Path:
    """An XLSX of under a megabyte whose shared-strings part unpacks to `unpacked` bytes
    of tiny strings: a reader that unpacks it (openpyxl keeps every shared string in a
    list) needs gigabytes."""
    plain = xlsx(path.with_name("plain-" + path.name), [PRODUCTS_HEADER, SAMPLE_PRODUCT])
    chunk = b"<si><t>a</t></si>" * (1 << 16)

    def strings(out):
        out.write(SST_HEAD)
        for _ in range(unpacked // len(chunk)):
            out.write(chunk)
        out.write(b"</sst>")

    return with_shared_strings(plain, path, strings)


def _laughs() -> bytes:
    """A DTD of nested entities: lol1 is ten lol, lol2 ten lol1, ... lol9 is 10^9 "lol"."""
    names = ["lol"] + [f"lol{i}" for i in range(1, 10)]
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY {names[i]} "{f"&{names[i - 1]};" * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n'
            + "\n".join(entities) + "\n]>\n").encode()


def billion_laughs_xlsx(path: Path, part: str = "xl/sharedStrings.xml") -> Path:
    """An XLSX whose `part` (shared strings or the sheet) declares nested entities and uses
    `&lol9;`, which expands to 10^9 "lol"s."""
    plain = xlsx(path.with_name("plain-" + path.name), [PRODUCTS_HEADER, SAMPLE_PRODUCT])
    if part == "xl/sharedStrings.xml":
        return with_shared_strings(plain, path, _laughs() + SST_HEAD.split(b"?>")[1].lstrip()
                                   + b"<si><t>&lol9;</t></si></sst>")
    with zipfile.ZipFile(plain) as z:
        body = z.read(part)
    body = body.replace(b"<t>name</t>", b"<t>&lol9;</t>", 1)
    return repacked(plain, path, {part: _laughs() + body})


def truncated(src: Path, dst: Path, keep: float = 0.6) -> Path:
    """The first `keep` of `src`: a download or copy cut short."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def binary_junk(path: Path, size: int = 64 << 10, nul: bool = True) -> Path:
    """Random bytes (an image, an executable); with `nul=False`, none of them NUL."""
    rng = random.Random(9)
    data = bytes(rng.randrange(0 if nul else 1, 256) for _ in range(size))
    path.write_bytes(data)
    return path


def products_csv(path: Path, rows: int, start: int = 0) -> Path:
    """A plain UTF-8 `products` feed of `rows` rows (no references: the simplest kind)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(PRODUCTS_HEADER) + "\r\n")
        for n in range(start, start + rows):
            out.write(f"H{n:08d},健康保障计划{n},{KINDS[n % 5]},yes,{10 + n % 20}\r\n")
    return path
