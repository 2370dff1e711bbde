"""ID and phone numbers sealed at rest (core/sealing.py, docs/security.md "Numbers at
rest"): what is stored opens only with the key, the database can still compare numbers,
a key can be replaced, and numbers stored before sealing are sealed by the migration."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from pinzhi.core import sealing
from pinzhi.core.importing import run_import
from pinzhi.core.models import Event
from pinzhi.core.sealing import SealError, is_sealed, new_key, seal, unseal
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from tests.core.test_imports import GOOD_POLICY, POLICY_HEADER, write

PHONE, ID_NUMBER = "13912340000", "440104197001010011"


@pytest.fixture
def keys(settings):
    """Swap the data key for one test (the cipher is cached: forget it both ways)."""
    def use(current, previous=""):
        settings.PINZHI_DATA_KEY, settings.PINZHI_DATA_KEY_PREVIOUS = current, previous
        sealing.forget_keys()
    yield use
    sealing.forget_keys()


def raw(table: str, column: str, where: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where}", params)
        return cursor.fetchone()[0]


# -- the cipher, without a database ------------------------------------------------------

@pytest.mark.parametrize("value, kind", [(PHONE, "phone"), (ID_NUMBER, "id_number"),
                                         ("020-83981234", "phone"), ("11010519491231002X",
                                                                     "id_number")])
def test_a_number_sealed_opens_to_itself_and_shows_nothing_of_it(value, kind):
    stored = seal(value, kind)
    assert is_sealed(stored) and value not in stored and value[-4:] not in stored
    assert unseal(stored, kind) == value


def test_the_same_number_seals_the_same_so_the_database_can_compare_it():
    assert seal(PHONE, "phone") == seal(PHONE, "phone")
    assert seal(PHONE, "phone") != seal("13912340001", "phone")


def test_the_kind_is_bound_in_a_phone_cannot_be_read_as_an_id_number():
    assert seal("13912340000", "phone") != seal("13912340000", "id_number")
    with pytest.raises(SealError):
        unseal(seal(PHONE, "phone"), "id_number")


def test_a_changed_sealed_value_does_not_open():
    stored = seal(PHONE, "phone")
    tampered = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(SealError):
        unseal(tampered, "phone")


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_number_stays_empty(value):
    assert seal(value or "", "phone") == ""
    assert unseal(value, "phone") == value


def test_a_value_sealed_already_is_not_sealed_twice():
    once = seal(PHONE, "phone")
    assert seal(once, "phone") == once


def test_another_key_does_not_open_it_and_says_which_key_would(keys):
    stored = seal(PHONE, "phone")
    keys(new_key())
    with pytest.raises(SealError, match=stored[:8]):
        unseal(stored, "phone")


def test_the_previous_key_opens_during_a_change_of_key(keys):
    old = new_key()
    keys(old)
    stored = seal(PHONE, "phone")
    keys(new_key(), previous=old)
    assert unseal(stored, "phone") == PHONE
    assert seal(PHONE, "phone") != stored  # new values under the new key


@pytest.mark.parametrize("text", ["", "c2hvcnQ=", "not base64!"])
def test_a_malformed_key_is_refused_with_what_it_must_be(keys, text):
    keys(text)
    with pytest.raises(ImproperlyConfigured, match="base64 of 64 random bytes"):
        seal(PHONE, "phone")


# -- in the database ---------------------------------------------------------------------

@pytest.mark.django_db
def test_the_table_holds_the_sealed_value_and_the_model_the_number(company):
    agent = company.agents["A001"]
    stored = raw("org_agent", "phone", "id = %s", agent.pk)
    assert is_sealed(stored) and agent.phone not in stored
    assert Agent.objects.get(pk=agent.pk).phone == agent.phone


@pytest.mark.django_db
def test_equality_lookups_and_joins_find_sealed_numbers(company):
    agent = company.agents["A001"]
    assert Agent.objects.get(phone=agent.phone) == agent
    assert list(Agent.objects.filter(phone__in=[agent.phone, "13000000000"])) == [agent]
    # a sealed column compared with another in SQL: an applicant giving his agent's phone
    Policy.objects.filter(policy_no="P1").update(applicant_phone=agent.phone)
    same = Policy.objects.filter(applicant_phone__in=Agent.objects.values("phone"))
    assert list(same.values_list("policy_no", flat=True)) == ["P1"]


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["contains", "startswith", "icontains", "endswith"])
def test_a_part_of_a_sealed_number_cannot_be_asked_for(company, lookup):
    """It would silently find nothing in a ciphertext: it is refused instead."""
    with pytest.raises(TypeError, match="sealed"):
        Agent.objects.filter(**{f"phone__{lookup}": "1391"}).exists()


@pytest.mark.django_db
def test_an_import_seals_and_a_reimport_of_the_same_numbers_changes_nothing(company, tmp_path):
    path = write(tmp_path, "p.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n")
    assert run_import("policies", path).created == 1
    stored = raw("policies_policy", "applicant_phone", "policy_no = %s", "P9001")
    assert is_sealed(stored) and PHONE not in stored
    assert Policy.objects.get(policy_no="P9001").applicant_phone == PHONE
    again = run_import("policies", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_a_changed_number_enters_the_history_masked(company, tmp_path):
    run_import("policies", write(tmp_path, "a.csv", f"{POLICY_HEADER}\n{GOOD_POLICY}\n"))
    changed = GOOD_POLICY.replace(PHONE, "13712345678")
    result = run_import("policies", write(tmp_path, "b.csv", f"{POLICY_HEADER}\n{changed}\n"))
    assert result.updated == 1
    event = Event.objects.get(action="policy.updated", key="P9001")
    assert event.data["changes"] == {"applicant_phone": ["139****0000", "137****5678"]}


@pytest.mark.django_db
def test_the_migration_seals_numbers_stored_before_sealing(company):
    """Rows from before sealing (written here in the clear) are sealed in place by the
    same function the migrations run, and read back as they were."""
    agent = company.agents["A002"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_agent SET phone = %s, id_number = %s WHERE id = %s",
                       [agent.phone, agent.id_number, agent.pk])
    assert Agent.objects.get(pk=agent.pk).phone == agent.phone  # a plain value still reads
    assert sealing.reseal_column(connection, "org_agent", "phone", "phone") == 1
    assert sealing.reseal_column(connection, "org_agent", "id_number", "id_number") == 1
    assert is_sealed(raw("org_agent", "phone", "id = %s", agent.pk))
    reread = Agent.objects.get(pk=agent.pk)
    assert (reread.phone, reread.id_number) == (agent.phone, agent.id_number)
    assert sealing.reseal_column(connection, "org_agent", "phone", "phone") == 0


@pytest.mark.django_db
def test_rekey_moves_every_number_to_the_new_key_and_logs_it(company, keys, settings):
    old = settings.PINZHI_DATA_KEY
    before = raw("org_agent", "phone", "code = %s", "A001")
    new = new_key()
    keys(new, previous=old)
    call_command("rekey", stdout=open("/dev/null", "w"))
    after = raw("org_agent", "phone", "code = %s", "A001")
    assert after != before and after.startswith(sealing.key_id(sealing.decode_key(new)))
    keys(new)  # the old key dropped: everything still opens
    assert {a.code: a.phone for a in Agent.objects.all()} == {
        code: a.phone for code, a in company.agents.items()}
    event = Event.objects.get(action="data.rekeyed")
    assert event.data["resealed"]["org.agent.phone"] == Agent.objects.count()


@pytest.mark.django_db
def test_the_migration_undone_opens_the_numbers_so_the_column_can_narrow(company):
    agent = company.agents["A003"]
    count = Agent.objects.count()
    assert sealing.unseal_column(connection, "org_agent", "phone", "phone") == count
    assert raw("org_agent", "phone", "id = %s", agent.pk) == agent.phone
    assert sealing.unseal_column(connection, "org_agent", "phone", "phone") == 0
    assert sealing.reseal_column(connection, "org_agent", "phone", "phone") == count
    assert Agent.objects.get(pk=agent.pk).phone == agent.phone
