"""Personal numbers sealed at rest (issue 9; docs/security.md "Numbers at rest").

Customers' and agents' ID numbers and phone numbers are stored encrypted with AES-SIV
(RFC 5297, from `cryptography`). AES-SIV is deterministic: one number under one key always
gives the same ciphertext. That is what lets the database go on comparing numbers it
cannot read: an agent's phone on a customer's policy (rules §4.6), a candidate who was
our agent, a re-imported row that did not change, a policy looked up by its applicant's
number. What the stored values tell a reader without the key is which rows share a
number; a keyed hash beside an encrypted value would tell exactly the same, with two
columns to keep in step instead of one. The kind of number (phone, ID) is bound into
the ciphertext as associated data, so a value cannot be moved from one kind to the other.

A sealed value is `<key id>:<base64>`; the key id (the first 8 hex digits of the key's
SHA-256) lets `pinzhi rekey` move every value to a new key while the old one still opens
them (PINZHI_DATA_KEY_PREVIOUS). Empty values stay empty: "no insured's ID" is not a secret.

Keys: PINZHI_DATA_KEY (base64 of 64 random bytes: AES-256-SIV), required in production;
elsewhere generated once into var/data_key. The key is never in the database nor in its
backups: a stolen dump opens nothing.
"""

import base64
import binascii
import hashlib
import secrets
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

KINDS = ("phone", "id_number")
KEY_BYTES = 64


class SealError(ValueError):
    """A stored value that no configured key opens."""


def new_key() -> str:
    """A fresh data key, as PINZHI_DATA_KEY takes it."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def decode_key(text: str, name: str = "PINZHI_DATA_KEY") -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be base64 of {KEY_BYTES} random bytes "
                                   f"(pinzhi datakey prints one)")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@cache
def _keys() -> tuple[tuple[str, AESSIV], dict[str, AESSIV]]:
    """(current key id and cipher, every key that opens values by id)."""
    current = decode_key(settings.PINZHI_DATA_KEY)
    ring = {key_id(current): AESSIV(current)}
    if previous := getattr(settings, "PINZHI_DATA_KEY_PREVIOUS", ""):
        old = decode_key(previous, "PINZHI_DATA_KEY_PREVIOUS")
        ring.setdefault(key_id(old), AESSIV(old))
    return (key_id(current), ring[key_id(current)]), ring


def key_ids() -> tuple[str, list[str]]:
    """(the current key's id, the ids of every key that opens values)."""
    (current, _), ring = _keys()
    return current, sorted(ring)


def forget_keys() -> None:
    """Read the settings' keys again (after a test or `rekey` changes them)."""
    _keys.cache_clear()


def is_sealed(value: str) -> bool:
    return len(value) > 9 and value[8] == ":" and all(c in "0123456789abcdef"
                                                        for c in value[:8])


def seal(value: str, kind: str) -> str:
    """The stored form of `value` (about a microsecond); "" stays "", and a value sealed
    already stays as it is."""
    if not value or is_sealed(value):
        return value
    (kid, cipher), _ = _keys()
    data = cipher.encrypt(value.encode(), [kind.encode()])
    return f"{kid}:{base64.b64encode(data).decode()}"


def unseal(value: str | None, kind: str) -> str | None:
    """The number a stored value holds; a value that is not sealed is returned as it is
    (rows written before sealing, until their migration has run)."""
    if not value or not is_sealed(value):
        return value
    _, ring = _keys()
    cipher = ring.get(value[:8])
    if cipher is None:
        raise SealError(f"a value sealed with key {value[:8]}, which is not configured")
    try:
        return cipher.decrypt(base64.b64decode(value[9:]), [kind.encode()]).decode()
    except (InvalidTag, binascii.Error) as exc:
        raise SealError(f"a sealed {kind} that key {value[:8]} does not open") from exc


def sealed_length(plain_length: int) -> int:
    """The column width of a sealed value of up to `plain_length` characters (UTF-8)."""
    data = 16 + 3 * plain_length  # the SIV tag, then at most 3 bytes a character
    return 9 + 4 * ((data + 2) // 3)


class SealedCharField(models.CharField):
    """A CharField whose value is sealed in the database and plain in Python.

    Only equality can be asked of it (`exact`, `in`, `isnull`): a part of a number
    (`contains`, `startswith`) cannot be found in a ciphertext, and a lookup that would
    silently find nothing raises instead. `max_length` is the number's, for forms and
    validation; the column is wide enough for its sealed form.
    """

    sealed = True
    ALLOWED_LOOKUPS = {"exact", "in", "isnull"}

    def __init__(self, *args, kind: str, **kwargs):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def db_type_parameters(self, connection):
        params = super().db_type_parameters(connection)
        params["max_length"] = sealed_length(self.max_length)
        return params

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value, self.kind) if isinstance(value, str) else value

    def from_db_value(self, value, expression, connection):
        return unseal(value, self.kind)

    def get_lookup(self, lookup_name):
        if lookup_name not in self.ALLOWED_LOOKUPS:
            raise TypeError(f"{self.model.__name__}.{self.name} is sealed: only "
                            f"{sorted(self.ALLOWED_LOOKUPS)} can be asked of it, "
                            f"not {lookup_name!r}")
        return super().get_lookup(lookup_name)


def sealed_fields() -> list[tuple[type[models.Model], SealedCharField]]:
    """Every sealed field of every installed model."""
    from django.apps import apps

    return [(model, f) for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, SealedCharField)]



def reseal_column(connection, table: str, column: str, kind: str, pk: str = "id") -> int:
    """Seal with the current key every value of `table.column` that is not: plain values
    (rows from before sealing) and values under an older key. Returns how many changed.
    Used by the migrations that introduced sealing and by `pinzhi rekey`."""
    current = key_ids()[0] + ":"
    return _rewrite_column(connection, table, column, pk, lambda value: None if value
                           .startswith(current) else seal(unseal(value, kind), kind))


def unseal_column(connection, table: str, column: str, kind: str, pk: str = "id") -> int:
    """Every sealed value of `table.column` back in the clear (a migration undone)."""
    return _rewrite_column(connection, table, column, pk, lambda value: unseal(value, kind)
                           if is_sealed(value) else None)


def _rewrite_column(connection, table, column, pk, change, batch: int = 5000) -> int:
    """`change(value)` (None: unchanged) applied to every non-empty value, set-based: the
    rows streamed, the new values written in batches to a temporary table
    (core.bulk.write_rows: COPY on PostgreSQL), then one UPDATE from it. Not an UPDATE
    a row: millions of policies' numbers are rekeyed in minutes."""
    from pinzhi.core.bulk import write_rows

    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS pz_rewrite")
        cur.execute("CREATE TEMPORARY TABLE pz_rewrite (pk bigint PRIMARY KEY, value text)")
    changed = 0
    with connection.chunked_cursor() as read:
        read.execute(f"SELECT {q(pk)}, {q(column)} FROM {q(table)} WHERE {q(column)} <> ''")
        while rows := read.fetchmany(batch):
            new = [(key, value) for key, old in rows if (value := change(old)) is not None]
            changed += write_rows("pz_rewrite", ("pk", "value"), new)
    with connection.cursor() as cur:
        if changed:
            cur.execute(f"UPDATE {q(table)} SET {q(column)} = r.value FROM pz_rewrite r "
                        f"WHERE {q(table)}.{q(pk)} = r.pk")
        cur.execute("DROP TABLE pz_rewrite")
    return changed


def sealing_migration(*columns: tuple[str, ...]):
    """A migration operation sealing existing values of (table, column, kind[, primary
    key column]) in place; undone, it opens them again, so that the column can narrow."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for table, column, kind, *pk in columns:
            reseal_column(schema_editor.connection, table, column, kind, *pk)

    def backward(apps, schema_editor):
        for table, column, kind, *pk in columns:
            unseal_column(schema_editor.connection, table, column, kind, *pk)

    return migrations.RunPython(forward, backward, elidable=False)
