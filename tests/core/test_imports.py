"""Imports (interfaces.md "Files in"): every rule of the contract, on files a user sends."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.core.models import Event, ImportRun
from pinzhi.org.models import Unit
from pinzhi.policies.models import Policy, Product

POLICY_HEADER = ("policy_no,agent_code,product_code,applicant_name,applicant_id_number,"
                 "applicant_phone,premium,commission,signed_on,printed_on,effective_on")
GOOD_POLICY = ("P9001,A001,TRAD10,赵敏,440104197001010011,13912340000,5000.00,600.50,"
               "2026-03-01,2026-03-05,2026-03-02")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def errors_by_row(result):
    return {(e.row, e.column) for e in result.errors}


@pytest.mark.django_db
class TestEncodingsAndFormats:
    def test_gbk_csv_as_chinese_excel_saves_it(self, company, tmp_path):
        path = write(tmp_path, "policies.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n", "gbk")
        result = run_import("policies", path)
        assert result.ok, result.errors
        assert Policy.objects.get(policy_no="P9001").applicant_name == "赵敏"

    def test_utf8_with_bom(self, company, tmp_path):
        path = write(tmp_path, "p.csv", f"\ufeff{POLICY_HEADER}\n{GOOD_POLICY}\n")
        assert run_import("policies", path).created == 1

    def test_xlsx_with_typed_cells(self, company, tmp_path):
        book = Workbook()
        sheet = book.active
        sheet.append(POLICY_HEADER.split(","))
        sheet.append(["P9002", "A001", "TRAD10", "钱多多", "440104197001010011", 13912340001,
                      5000, 0.1, dt.date(2026, 3, 1), dt.datetime(2026, 3, 5),
                      dt.date(2026, 3, 2)])
        path = tmp_path / "policies.xlsx"
        book.save(path)
        result = run_import("policies", path)
        assert result.ok, result.errors
        policy = Policy.objects.get(policy_no="P9002")
        assert (policy.premium_fen, policy.commission_fen) == (500000, 10)
        assert policy.applicant_phone == "13912340001"
        assert policy.printed_on == dt.date(2026, 3, 5)

    def test_binary_junk_is_refused_as_a_file(self, company, tmp_path):
        path = tmp_path / "junk.csv"
        path.write_bytes(b"\x00\x01\x02garbage" * 100)
        result = run_import("policies", path)
        assert not result.ok and result.errors[0].row == 0


@pytest.mark.django_db
class TestHeader:
    def test_unknown_column_is_refused(self, company, tmp_path):
        path = write(tmp_path, "p.csv", f"{POLICY_HEADER},premuim\n{GOOD_POLICY},1\n")
        result = run_import("policies", path)
        assert (1, "premuim") in errors_by_row(result)
        assert not Policy.objects.filter(policy_no="P9001").exists()

    def test_missing_column_is_refused(self, company, tmp_path):
        header = POLICY_HEADER.replace(",commission", "")
        row = GOOD_POLICY.replace(",600.50", "")
        result = run_import("policies", write(tmp_path, "p.csv", f"{header}\n{row}\n"))
        assert (1, "commission") in errors_by_row(result)

    def test_columns_in_any_order(self, company, tmp_path):
        cols, vals = POLICY_HEADER.split(","), GOOD_POLICY.split(",")
        text = ",".join(reversed(cols)) + "\n" + ",".join(reversed(vals)) + "\n"
        assert run_import("policies", write(tmp_path, "p.csv", text)).created == 1


@pytest.mark.django_db
class TestBadRows:
    def test_every_bad_row_is_listed_and_nothing_written(self, company, tmp_path):
        rows = [
            GOOD_POLICY,
            GOOD_POLICY.replace("P9001", "P9003").replace("5000.00", "5000.001"),  # 3 decimals
            GOOD_POLICY.replace("P9001", "P9004").replace("A001", "A999"),  # unknown agent
            GOOD_POLICY.replace("P9001", "P9005").replace("TRAD10", "NOPE"),  # unknown product
            GOOD_POLICY.replace("P9001", "P9006").replace("2026-03-05", "2099-01-01"),  # future
            GOOD_POLICY.replace("P9001", "P9007").replace("440104197001010011",
                                                          "440104197001010012"),  # checksum
            GOOD_POLICY.replace("P9001", "P9008").replace("13912340000", "12345"),  # phone
            GOOD_POLICY,  # duplicate key of row 2
            GOOD_POLICY.replace("P9001", "P9009").replace("2026-03-01", "2026-02-30"),  # date
        ]
        path = write(tmp_path, "p.csv", POLICY_HEADER + "\n" + "\n".join(rows) + "\n")
        before = Policy.objects.count()
        result = run_import("policies", path)
        assert errors_by_row(result) == {
            (3, "premium"), (4, "agent_code"), (5, "product_code"), (6, "printed_on"),
            (7, "applicant_id_number"), (8, "applicant_phone"), (9, "policy_no"),
            (10, "signed_on"),
        }
        by_row = {e.row: e for e in result.errors}
        assert by_row[4].value == "A999" and "no such agent" in by_row[4].reason
        assert by_row[9].reason == "same key as row 2"
        assert Policy.objects.count() == before
        assert ImportRun.objects.get(pk=result.run_id).outcome == "rejected"

    def test_cross_column_checks(self, company, tmp_path):
        header = POLICY_HEADER + ",status,status_on"
        rows = [GOOD_POLICY.replace("2026-03-05", "2026-02-01") + ",,",  # printed before signed
                GOOD_POLICY.replace("P9001", "P9010") + ",cooling_off_cancelled,"]
        result = run_import("policies", write(tmp_path, "p.csv", header + "\n" + "\n".join(rows)))
        assert errors_by_row(result) == {(2, "printed_on"), (3, "status_on")}

    def test_agent_must_be_in_a_team(self, company, tmp_path):
        text = ("agent_code,name,id_number,phone,unit_code,rank,hired_on\n"
                "A010,孙丽,110101199003071233,13700000010,GZ01,业务员,2025-01-02\n"
                "A011,周杰,110101199003071233,13700000011,NOWHERE,业务员,2025-01-02\n")
        result = run_import("agents", write(tmp_path, "a.csv", text))
        assert errors_by_row(result) == {(2, "unit_code"), (3, "unit_code")}
        assert "not a team" in result.errors[0].reason

    def test_unit_tree_rules(self, company, tmp_path):
        text = ("code,name,parent_code,level\n"
                "X1,某组,T1,team\n"  # a team below a team
                "X2,某部,,office\n"  # no parent below hq
                "X3,另一个总公司,GD,hq\n")  # hq with a parent
        result = run_import("units", write(tmp_path, "u.csv", text))
        assert errors_by_row(result) == {(2, "level"), (3, "parent_code"), (4, "parent_code")}

    def test_dry_run_checks_and_writes_nothing(self, company, tmp_path):
        path = write(tmp_path, "p.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n")
        result = run_import("policies", path, dry_run=True)
        assert result.ok and result.created == 1
        assert not Policy.objects.filter(policy_no="P9001").exists()


@pytest.mark.django_db
class TestReimport:
    def test_same_file_twice_changes_nothing(self, company, tmp_path):
        path = write(tmp_path, "p.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n")
        run_import("policies", path)
        stamp = Policy.objects.get(policy_no="P9001").updated_at
        events = Event.objects.exclude(action="import.applied").count()
        second = run_import("policies", path)
        assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
        assert Policy.objects.get(policy_no="P9001").updated_at == stamp
        assert Event.objects.exclude(action="import.applied").count() == events

    def test_changed_row_updates_and_keeps_history(self, company, tmp_path):
        run_import("policies", write(tmp_path, "a.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n"))
        changed = GOOD_POLICY.replace("600.50", "650.00").replace("A001", "A002")
        result = run_import("policies", write(tmp_path, "b.csv", f"{POLICY_HEADER}\n{changed}\n"))
        assert (result.created, result.updated) == (0, 1)
        policy = Policy.objects.get(policy_no="P9001")
        assert (policy.commission_fen, policy.agent.code) == (65000, "A002")
        event = Event.objects.get(action="policy.updated", key="P9001")
        assert event.data["changes"] == {"commission_fen": [60050, 65000],
                                         "agent_code": ["A001", "A002"]}

    def test_absent_optional_column_is_left_alone(self, company, tmp_path):
        header = POLICY_HEADER + ",status,status_on"
        cancelled = GOOD_POLICY + ",cooling_off_cancelled,2026-03-10"
        run_import("policies", write(tmp_path, "a.csv", f"{header}\n{cancelled}\n"))
        again = write(tmp_path, "b.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n")
        result = run_import("policies", again)
        assert result.unchanged == 1
        assert Policy.objects.get(policy_no="P9001").status == "cooling_off_cancelled"

    def test_units_from_one_file_link_to_parents_later_in_the_file(self, db, tmp_path):
        text = ("code,name,parent_code,level,phones\n"
                "T9,一组,O9,team,\nO9,营业部,HQ,office,020 8398 1234\nHQ,总公司,,hq,\n")
        assert run_import("units", write(tmp_path, "u.csv", text)).created == 3
        team = Unit.objects.get(code="T9")
        assert team.path == "/HQ/O9/T9/"
        assert Unit.objects.get(code="O9").phones == "020-83981234"


@pytest.mark.django_db
class TestCommand:
    def test_exit_1_and_every_bad_row_on_stderr(self, company, tmp_path, capsys):
        bad = GOOD_POLICY.replace("A001", "A999")
        other = bad.replace("P9001", "P9002")
        path = write(tmp_path, "p.csv", f"{POLICY_HEADER}\n{bad}\n{other}\n")
        with pytest.raises(SystemExit) as exit_:
            call_command("import", "policies", str(path))
        assert exit_.value.code == 1
        err = capsys.readouterr().err
        assert "row 2, column agent_code, value 'A999'" in err
        assert "row 3, column agent_code" in err

    def test_summary(self, company, tmp_path):
        out = io.StringIO()
        call_command("import", "products", str(write(
            tmp_path, "pr.csv", "product_code,name,kind,long_term\nHL5,康宁终身重疾,health,是\n")),
            stdout=out)
        assert "created 1" in out.getvalue()
        assert Product.objects.get(code="HL5").long_term is True
        assert Product.objects.get(code="HL5").cooling_off_days == 15


@pytest.mark.parametrize("raw, stored", [
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("+86 139-1234-5678".replace("-", ""), "13912345678"),
    ("02083981234", "020-83981234"),  # 11 digits but a landline: gets its dash
    ("075526661234", "0755-26661234"),
    ("0755-26661234", "0755-26661234"),
])
def test_phones_are_normalised_before_they_are_stored(raw, stored):
    from pinzhi.core.importing.parsers import phone

    assert phone(raw) == stored
