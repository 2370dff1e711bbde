"""Hostile files (issue 9): a zip bomb, a billion laughs, a cut file, binary junk and a file
over the upload limit are refused with a clear message and nothing written; the process
stays within its memory; the command line streams files of any size."""

import codecs
import os
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from pinzhi.core.importing import engine, run_import
from pinzhi.core.importing.readers import WORKSHEET_TYPE
from pinzhi.core.models import Event, ImportRun
from pinzhi.policies.models import Product

from . import hostile

PINZHI = str(Path(sys.executable).with_name("pinzhi"))
HEADER = ",".join(hostile.PRODUCTS_HEADER)
GOOD_ROW = "H1,健康一号,health,yes,15"


def refused(result, *phrases):
    """The file was refused as a whole, saying why; nothing was written."""
    assert not result.ok
    text = " | ".join(str(e) for e in result.errors)
    for phrase in phrases:
        assert phrase in text, text
    assert not Product.objects.filter(code__in=["H1", "X1"]).exists()
    assert not Product.objects.filter(code__startswith="H0").exists()
    assert ImportRun.objects.get(pk=result.run_id).outcome == ImportRun.Outcome.REJECTED
    assert not Event.objects.filter(action="import.applied").exists()
    return text


def csv_file(tmp_path, body: bytes, name="products.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


@pytest.mark.django_db
class TestXlsxRefused:
    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self, company, tmp_path):
        path = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", unpacked=16 << 20)
        assert path.stat().st_size < 100_000
        result = run_import("products", path, by=company.users.admin)
        refused(result, "xl/sharedStrings.xml", "a zip bomb?")
        audit = Event.objects.get(action="import.hostile")  # audited: built to harm
        assert (audit.actor, audit.key) == (company.users.admin, str(result.run_id))
        assert "a zip bomb?" in audit.data["reason"] and audit.data["kind"] == "products"

    @override_settings(PINZHI_XLSX_MAX_PART_BYTES=1 << 20)
    def test_a_part_read_whole_is_limited_even_when_it_packs_plainly(self, company, tmp_path):
        rng = random.Random(9)
        strings = b"".join(f"<si><t>{rng.getrandbits(64):x}</t></si>".encode()
                           for _ in range(60_000))  # 2 MiB that packs about 2:1
        plain = hostile.xlsx(tmp_path / "plain.xlsx", [hostile.PRODUCTS_HEADER])
        path = hostile.with_shared_strings(plain, tmp_path / "big.xlsx",
                                           hostile.SST_HEAD + strings + b"</sst>")
        refused(run_import("products", path), "part xl/sharedStrings.xml unpacks to 2 MB",
                "at most 1 MB")

    @override_settings(PINZHI_XLSX_MAX_PART_BYTES=64 << 10)
    def test_worksheets_are_streamed_so_not_limited_as_parts(self, company, tmp_path):
        rows = [[f"H{n:08d}", f"计划{n}", "health", "yes", 15] for n in range(3000)]
        path = hostile.xlsx(tmp_path / "many.xlsx", [hostile.PRODUCTS_HEADER, *rows])
        assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size > 64 << 10
        result = run_import("products", path)
        assert result.ok, result.errors
        assert result.created == 3000

    @override_settings(PINZHI_XLSX_MAX_PART_BYTES=64 << 10)
    def test_a_part_also_declared_a_worksheet_is_still_read_whole(self, company, tmp_path):
        plain = hostile.xlsx(tmp_path / "plain.xlsx", [hostile.PRODUCTS_HEADER])
        strings = hostile.SST_HEAD + b"".join(
            f"<si><t>{n}</t></si>".encode() for n in range(10_000)) + b"</sst>"
        with_sst = hostile.with_shared_strings(plain, tmp_path / "sst.xlsx", strings)
        with zipfile.ZipFile(with_sst) as z:
            types = z.read("[Content_Types].xml").replace(b"</Types>", (
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                + WORKSHEET_TYPE.encode() + b'" /></Types>'))
        path = hostile.repacked(with_sst, tmp_path / "disguised.xlsx",
                                {"[Content_Types].xml": types})
        refused(run_import("products", path), "part xl/sharedStrings.xml unpacks to")

    @override_settings(PINZHI_XLSX_MAX_UNPACKED_BYTES=10_000)
    def test_the_whole_unpacked_size_is_limited(self, company, tmp_path):
        path = hostile.xlsx(tmp_path / "p.xlsx", [hostile.PRODUCTS_HEADER, hostile.SAMPLE_PRODUCT])
        refused(run_import("products", path), "it unpacks to", "at most 0 MB")

    def test_a_zip_of_too_many_parts_is_refused(self, company, tmp_path):
        path = tmp_path / "parts.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            for n in range(10_001):
                z.writestr(f"x/{n}", b"")
        refused(run_import("products", path), "10001 parts in the zip")

    @pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
    def test_a_billion_laughs_is_refused(self, company, tmp_path, part):
        path = hostile.billion_laughs_xlsx(tmp_path / "laughs.xlsx", part)
        refused(run_import("products", path), f"part {part} declares a DTD")
        assert Event.objects.filter(action="import.hostile").count() == 1

    @pytest.mark.parametrize("prolog", [
        b'<!-- a comment --><?pi x?>\n<!DOCTYPE x [<!ENTITY a "b">]>',
        codecs.BOM_UTF8 + b'<?xml version="1.0"?><!doctype x>',
        codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>'.encode(
            "utf-16-le"),
        b"<!--" + b"-" * 9000 + b"--><!DOCTYPE x>",
    ], ids=["after-a-comment", "lower-case-utf8-bom", "utf16", "past-the-first-8k"])
    def test_a_dtd_is_found_wherever_it_hides(self, company, tmp_path, prolog):
        plain = hostile.xlsx(tmp_path / "p.xlsx", [hostile.PRODUCTS_HEADER])
        path = hostile.repacked(plain, tmp_path / "dtd.xlsx",
                                {"xl/workbook.xml": prolog + b"<workbook/>"})
        refused(run_import("products", path), "part xl/workbook.xml")

    def test_openpyxl_parses_with_defusedxml_too(self, tmp_path):
        """Defence in depth: were the DTD check gone, openpyxl would refuse entities."""
        assert openpyxl.DEFUSEDXML is True
        path = hostile.billion_laughs_xlsx(tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml")
        with pytest.raises(ValueError) as raised:
            book = openpyxl.load_workbook(path, read_only=True)
            list(book.worksheets[0].iter_rows(values_only=True))
        assert isinstance(raised.value.__cause__ or raised.value, EntitiesForbidden)

    def test_a_cut_xlsx_is_refused_as_damaged(self, company, tmp_path):
        plain = hostile.xlsx(tmp_path / "p.xlsx", [hostile.PRODUCTS_HEADER, hostile.SAMPLE_PRODUCT])
        path = hostile.truncated(plain, tmp_path / "cut.xlsx", keep=0.9)
        refused(run_import("products", path), "damaged XLSX file", "cut short")

    def test_a_part_that_fails_its_checksum_is_refused_as_damaged(self, company, tmp_path):
        rows = [[f"H{n:08d}", "计划", "health", "yes", 15] for n in range(200)]
        plain = hostile.xlsx(tmp_path / "p.xlsx", [hostile.PRODUCTS_HEADER, *rows])
        stored = tmp_path / "stored.xlsx"
        with zipfile.ZipFile(plain) as old, zipfile.ZipFile(stored, "w") as new:
            for info in old.infolist():  # uncompressed: the sheet's text lies in the file
                new.writestr(info.filename, old.read(info), zipfile.ZIP_STORED)
        data = bytearray(stored.read_bytes())
        at = data.index(b"H00000150")
        data[at + 8] = ord("9")  # one digit changed: the part's CRC no longer matches
        stored.write_bytes(bytes(data))
        refused(run_import("products", stored), "damaged XLSX file", "CRC")

    def test_an_old_xls_is_refused_with_what_to_do(self, company, tmp_path):
        path = csv_file(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "p.xls")
        refused(run_import("products", path), "Excel 97-2003 (.xls)", "save it as .xlsx")

    def test_a_csv_named_xlsx_is_refused_as_not_a_zip(self, company, tmp_path):
        path = csv_file(tmp_path, f"{HEADER}\n{GOOD_ROW}\n".encode(), "p.xlsx")
        refused(run_import("products", path), "not a complete zip archive")

    def test_a_zip_that_is_not_an_xlsx(self, company, tmp_path):
        path = tmp_path / "p.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello")
        refused(run_import("products", path), "not an XLSX file")


@pytest.mark.django_db
class TestCsvRefused:
    def test_binary_junk_is_not_a_csv(self, company, tmp_path):
        path = hostile.binary_junk(tmp_path / "products.csv")
        refused(run_import("products", path), "not a CSV or XLSX file: binary content")
        assert not Event.objects.filter(action="import.hostile").exists()  # broken, not built

    def test_junk_without_nul_bytes_is_neither_utf8_nor_gb18030(self, company, tmp_path):
        path = hostile.binary_junk(tmp_path / "products.csv", nul=False)
        refused(run_import("products", path),
                "not a CSV or XLSX file: line 1 is neither UTF-8 nor GB18030 text")

    def test_a_nul_byte_past_the_first_megabyte_is_found_on_its_line(self, company, tmp_path):
        path = hostile.products_csv(tmp_path / "products.csv", 30_000)
        with open(path, "ab") as out:
            out.write(b"H1,\x00\x00,health,yes,15\r\n")
        refused(run_import("products", path), "line 30002 holds binary content (NUL bytes)")

    def test_a_line_too_long_to_be_a_row_is_refused(self, company, tmp_path):
        path = csv_file(tmp_path, f"{HEADER}\nH1,{'长' * (1 << 20)},health,yes,15\n".encode())
        refused(run_import("products", path), "line 2 is longer than 1048576 characters")

    def test_a_header_of_too_many_columns_is_refused(self, company, tmp_path):
        path = csv_file(tmp_path, ("a," * 5000 + "b\n").encode())
        refused(run_import("products", path), "the header has 5001 columns")

    def test_a_gbk_byte_that_is_not_text_is_found_on_its_line(self, company, tmp_path):
        rows = "".join(f"H{n:08d},健康保障计划{n},health,yes,15\r\n" for n in range(30_000))
        body = f"{HEADER}\r\n{rows}".encode("gbk") + b"H1,\xff\xfe,health,yes,15\r\n"
        path = csv_file(tmp_path, body)
        refused(run_import("products", path), "line 30002: not GB18030 text (byte 0xff)")

    @pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
    def test_a_file_cut_inside_a_character_says_so(self, company, tmp_path, encoding):
        body = f"{HEADER}\n{GOOD_ROW}\nH2,健康二号,health,yes,15\n".encode(encoding)
        path = csv_file(tmp_path, body[: body.index("二".encode(encoding)) + 1])
        refused(run_import("products", path), "line 3: the file ends inside a character")

    def test_a_cut_last_row_is_a_bad_row(self, company, tmp_path):
        body = f"{HEADER}\n{GOOD_ROW}\nH2,健康二号,heal".encode()
        result = run_import("products", csv_file(tmp_path, body))
        refused(result, "row 3, column kind, value 'heal'", "row 3, column long_term")
        assert {e.row for e in result.errors} == {3}

    def test_a_cut_quoted_cell_leaves_a_bad_row(self, company, tmp_path):
        body = f'{HEADER}\n{GOOD_ROW}\nH2,"健康'.encode()
        refused(run_import("products", csv_file(tmp_path, body)), "row 3, column kind")


@pytest.mark.django_db
class TestManyBadRows:
    def test_only_the_first_problems_are_kept_and_the_rest_counted(self, company, tmp_path,
                                                                   monkeypatch):
        monkeypatch.setattr(engine, "MAX_LISTED_ERRORS", 10)
        body = HEADER + "\n" + "".join(f"H{n:08d},x,nonsense,maybe,15\n" for n in range(500))
        result = run_import("products", csv_file(tmp_path, body.encode()))
        text = refused(result, "row 2, column kind", "990 more problems, not listed")
        assert len(result.errors) == 11 and result.rows == 500
        assert "row 7," not in text  # 2 problems a row: rows 2 to 6 are listed
        assert len(ImportRun.objects.get(pk=result.run_id).errors) == 11


@pytest.mark.django_db
class TestCommandAndUpload:
    @pytest.mark.parametrize("make, phrase", [
        (lambda d: hostile.zip_bomb_xlsx(d / "bomb.xlsx", unpacked=16 << 20), "a zip bomb?"),
        (lambda d: hostile.binary_junk(d / "junk.csv"), "not a CSV or XLSX file"),
    ], ids=["zip-bomb", "junk"])
    def test_the_command_exits_1_with_the_reason(self, company, tmp_path, capsys, make,
                                                 phrase):
        with pytest.raises(SystemExit) as exit_:
            call_command("import", "products", str(make(tmp_path)))
        assert exit_.value.code == 1
        err = capsys.readouterr().err
        assert phrase in err and "nothing written" in err
        assert not Product.objects.filter(code="X1").exists()

    @override_settings(PINZHI_UPLOAD_MAX_BYTES=1 << 20)
    def test_a_file_over_the_upload_limit_is_refused_before_any_import(self, client, company):
        client.force_login(company.users.admin)
        body = f"{HEADER}\n{GOOD_ROW}\n".encode().ljust((1 << 20) + 1, b"\n")
        page = client.post("/import/", {"kind": "products",
                                        "file": SimpleUploadedFile("p.csv", body)})
        assert 'id="import-form"' in page.content.decode()
        assert page.context["form"].errors["file"] == ["文件超过 1 MB。"]  # the page is Chinese
        assert not ImportRun.objects.exists() and not Product.objects.filter(code="H1").exists()

    def test_a_zip_bomb_uploaded_is_listed_as_the_problem(self, client, company, tmp_path):
        client.force_login(company.users.admin)
        bomb = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", unpacked=16 << 20).read_bytes()
        page = client.post("/import/", {"kind": "products",
                                        "file": SimpleUploadedFile("bomb.xlsx", bomb)})
        text = page.content.decode()
        assert 'id="import-rejected"' in text and "a zip bomb?" in text
        assert not Product.objects.filter(code="X1").exists()


# --- Memory: `pinzhi import` in a child process, its peak RSS read from os.wait4 ----------

BOUND_MB = 40  # holding 200,000 rows as lists of cells takes ~95 MB; unpacking the bomb 256


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated SQLite database for the children (the test database may be in memory)."""
    where = tmp_path_factory.mktemp("child")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{where / 'db.sqlite3'}",
           "PINZHI_VAR": str(where)}
    subprocess.run([PINZHI, "migrate", "-v", "0"], env=env, check=True)
    return where / "db.sqlite3"


def import_in_child(migrated: Path, tmp_path: Path, path: Path) -> tuple[int, int, str]:
    """(exit code, peak RSS in MB, output) of `pinzhi import products PATH`."""
    db = tmp_path / "child.sqlite3"
    shutil.copy(migrated, db)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PINZHI_VAR": str(tmp_path)}
    with open(tmp_path / "out.txt", "w") as out:
        child = subprocess.Popen([PINZHI, "import", "products", str(path)], env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not all children's
        child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss // 1024, (tmp_path / "out.txt").read_text()


@pytest.fixture(scope="module")
def baseline_mb(migrated, tmp_path_factory) -> int:
    """The peak of importing a file of ten rows: the process itself."""
    where = tmp_path_factory.mktemp("baseline")
    code, peak, out = import_in_child(migrated, where,
                                      hostile.products_csv(where / "p.csv", 10))
    assert code == 0, out
    return peak


def test_the_command_streams_a_large_csv(migrated, baseline_mb, tmp_path):
    path = hostile.products_csv(tmp_path / "products.csv", 200_000)
    code, peak, out = import_in_child(migrated, tmp_path, path)
    assert code == 0, out
    assert "200000 rows, created 200000" in out
    assert peak - baseline_mb < BOUND_MB, (peak, baseline_mb)


def test_the_command_refuses_a_zip_bomb_in_little_memory(migrated, baseline_mb, tmp_path):
    path = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", unpacked=256 << 20)
    code, peak, out = import_in_child(migrated, tmp_path, path)
    assert code == 1 and "a zip bomb?" in out and "nothing written" in out
    assert peak - baseline_mb < BOUND_MB, (peak, baseline_mb)
