"""What the deployment tests run in a subprocess against a scratch database (DATABASE_URL
and PINZHI_VAR set by the test), so that the run's own test database is never touched:

    python -m tests.deploy.scratch seed|damage|snapshot|https

Each prints one JSON value on its last line of standard output; seed and damage answer
the snapshot after them (a subprocess fewer each).
"""

import json
import sys

import django


def seed() -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from pinzhi.core.models import Event
    from tests.factories import build_company

    build_company()
    Event.objects.create(action="test.seeded", kind="test", key="seed",
                         data={"note": "备份之前", "n": 1})
    default_storage.save("cases/2026/06/evidence.txt", ContentFile("录音 transcript".encode()))
    return snapshot()


def damage() -> dict:
    """What a bad day does after the backup: rows changed, added and deleted, a file lost."""
    from django.core.files.storage import default_storage

    from pinzhi.accounts.models import User
    from pinzhi.core.models import Event
    from pinzhi.org.models import Agent, Unit

    Unit.objects.filter(code="T1").update(name="改错的名字")
    Agent.objects.filter(code="A001").update(phone="13999999999")
    Agent.objects.create(code="A999", name="多余", id_number="110101199001011237",
                         phone="13800009999", rank="业务员",
                         team=Unit.objects.get(code="T3"), hired_on="2026-01-01")
    User.objects.filter(username="hr").delete()
    Event.objects.create(action="test.after_backup", kind="test", key="damage")
    default_storage.delete("cases/2026/06/evidence.txt")
    return snapshot()


def snapshot() -> dict:
    """Counts and values a restore must bring back exactly, and whether the audit log is
    still append-only (its trigger restored with the tables)."""
    from django.core.files.storage import default_storage
    from django.db import DatabaseError, connection, transaction

    from pinzhi.accounts.models import User
    from pinzhi.core.models import Event
    from pinzhi.org.models import Agent, Unit
    from pinzhi.policies.models import Policy, Product

    counts = {model.__name__: model.objects.count()
              for model in (Unit, Agent, Product, Policy, User)}
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE core_event SET action = 'tampered'")
        events_append_only = False
    except DatabaseError:
        events_append_only = True
    evidence = "cases/2026/06/evidence.txt"
    return {
        "counts": counts,
        "units": dict(Unit.objects.values_list("code", "name").order_by("code")),
        "agents": [list(row) for row in Agent.objects.order_by("code").values_list(
            "code", "name", "id_number", "phone", "team__code")],
        "policies": [list(row) for row in Policy.objects.order_by("policy_no").values_list(
            "policy_no", "agent__code", "product__code", "premium_fen", "effective_on")],
        "users": sorted(User.objects.values_list("username", "role", "password")),
        "events": sorted(Event.objects.values_list("action", flat=True)),
        "seed_event": list(Event.objects.filter(action="test.seeded").values_list(
            "data", flat=True)),
        "evidence": (default_storage.open(evidence).read().decode()
                     if default_storage.exists(evidence) else None),
        "events_append_only": events_append_only,
    }


def https() -> dict:
    """How the production settings answer: plain HTTP, then HTTPS through nginx."""
    from django.test import Client

    client = Client(HTTP_HOST="pinzhi.example.com")
    plain = client.get("/login/")
    secure = client.get("/login/", secure=True)
    body = secure.content.decode()
    cookie = secure.cookies.get("csrftoken")
    return {
        "plain_status": plain.status_code,
        "plain_location": plain.headers.get("Location"),
        "status": secure.status_code,
        "hsts": secure.headers.get("Strict-Transport-Security"),
        "csrf_cookie_secure": bool(cookie and cookie["secure"]),
        "hashed_css": "/static/vendor/bootstrap/bootstrap.min." in body
                      and "bootstrap.min.css\"" not in body,
    }


if __name__ == "__main__":
    django.setup()
    result = {"seed": seed, "damage": damage, "snapshot": snapshot,
              "https": https}[sys.argv[1]]()
    print(json.dumps(result, ensure_ascii=False, default=str))
