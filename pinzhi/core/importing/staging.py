"""The staging table of one import, and the set-based SQL run over it.

The SQL is generated from the ImportSpec and is the same on SQLite (3.39+) and
PostgreSQL but for how rows get in: COPY on PostgreSQL, executemany on SQLite.
"""

import datetime as dt
from itertools import islice

from django.db.models import ForeignKey
from django.utils import translation

from pinzhi.core.masking import mask_id_number, mask_phone

from .spec import ImportSpec, Reference

TABLE = "pz_stage"
SQLITE_BATCH = 5000


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Stage:
    def __init__(self, spec: ImportSpec, header: list[str], connection):
        self.spec = spec
        self.connection = connection
        self.model = spec.model
        self.table = q(spec.model._meta.db_table)
        present = set(header)
        # Optional columns absent from the file are not touched on update (default on create).
        self.columns = [c for c in spec.columns if c.name in present or c.required]
        self.absent = [c for c in spec.columns if c not in self.columns]
        ref_columns = {r.column for r in spec.references}
        self.plain = [c for c in self.columns if c.name not in ref_columns]
        self.refs = [r for r in spec.references if r.column in present or
                     spec.column(r.column).required]
        self.outer_refs = [r for r in self.refs if not self._is_self(r)]
        self.self_refs = [r for r in self.refs if self._is_self(r)]
        self.fields = {c.name: self.model._meta.get_field(c.target) for c in self.plain}
        # ID and phone numbers are staged sealed, as the table holds them (core/sealing.py):
        # the comparisons and writes below then work on sealed values unchanged.
        self.sealed = {n: f for n, f in self.fields.items() if getattr(f, "sealed", False)}
        # A key may name another row (an attempt is keyed by its policy's number): that
        # reference is resolved into the stage once (`resolve_key_references`).
        self.key_refs = [r for r in self.outer_refs if r.column in spec.key]
        key_ref_columns = {r.column: r for r in self.key_refs}
        self.key_join = " AND ".join(
            f"t.{self._fk_column(key_ref_columns[k])} = s.{q(_resolved(k))}"
            if k in key_ref_columns else f"t.{q(self.fields[k].column)} = s.{q(k)}"
            for k in spec.key
        )

    def _is_self(self, ref: Reference) -> bool:
        return ref.model is self.model

    @property
    def vendor(self) -> str:
        return self.connection.vendor

    def execute(self, sql: str, params=()):
        with self.connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    def fetch(self, sql: str, params=()):
        with self.connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    # -- loading -------------------------------------------------------------------------

    def create(self) -> None:
        ref_names = {r.column for r in self.refs}
        cols = ["row_no integer NOT NULL"]
        for c in self.columns:
            kind = "varchar(200)" if c.name in ref_names else self.fields[c.name].db_type(
                self.connection)
            cols.append(f"{q(c.name)} {kind}")
        self.execute(f"DROP TABLE IF EXISTS {TABLE}")
        self.execute(f"CREATE TEMPORARY TABLE {TABLE} ({', '.join(cols)})")

    def load(self, rows) -> int:
        names = [c.name for c in self.columns]
        if self.vendor == "postgresql":
            return self._copy(rows, names)
        return self._insert_batches(rows, names)

    def _copy(self, rows, names) -> int:
        count = 0
        cols = ", ".join(q(n) for n in names)
        seal = [(n, f.get_prep_value) for n, f in self.sealed.items()]
        with self.connection.cursor() as cur:
            with cur.cursor.copy(f"COPY {TABLE} (row_no, {cols}) FROM STDIN") as copy:
                for row_no, values in rows:
                    for name, sealed in seal:
                        values[name] = sealed(values[name])
                    copy.write_row([row_no, *(values[n] for n in names)])
                    count += 1
        self.execute(f"ANALYZE {TABLE}")
        return count

    def _insert_batches(self, rows, names) -> int:
        prep = [(n, self.fields.get(n)) for n in names]
        sql = (f"INSERT INTO {TABLE} (row_no, {', '.join(q(n) for n in names)}) "
               f"VALUES ({', '.join(['%s'] * (len(names) + 1))})")
        count = 0
        with self.connection.cursor() as cur:
            while batch := list(islice(rows, SQLITE_BATCH)):
                cur.executemany(sql, [
                    [row_no, *(f.get_db_prep_save(v[n], self.connection) if f else v[n]
                               for n, f in prep)]
                    for row_no, v in batch
                ])
                count += len(batch)
        self.execute(f"CREATE INDEX pz_stage_key ON {TABLE} "
                     f"({', '.join(q(k) for k in self.spec.key)})")
        return count

    def analyze_target(self) -> None:
        if self.vendor == "postgresql":
            self.execute(f"ANALYZE {self.table}")

    def drop(self) -> None:
        self.execute(f"DROP TABLE IF EXISTS {TABLE}")

    # -- checks --------------------------------------------------------------------------

    def check(self) -> list[tuple[int, str, str, str]]:
        return self._duplicate_keys() + [e for r in self.refs for e in self._reference_errors(r)]

    def _duplicate_keys(self):
        keys = ", ".join(q(k) for k in self.spec.key)
        on = " AND ".join(f"d.{q(k)} = s.{q(k)}" for k in self.spec.key)
        rows = self.fetch(
            f"SELECT s.row_no, d.first_row, {', '.join('s.' + q(k) for k in self.spec.key)} "
            f"FROM {TABLE} s JOIN (SELECT {keys}, MIN(row_no) AS first_row FROM {TABLE} "
            f"GROUP BY {keys} HAVING COUNT(*) > 1) d ON {on} WHERE s.row_no <> d.first_row"
        )
        column = self.spec.key[0]
        return [(row, column, " + ".join(map(str, key)), f"same key as row {first}")
                for row, first, *key in rows]

    def _reference_errors(self, ref: Reference):
        target = ref.model._meta
        to_col = q(target.get_field(ref.to_field).column)
        in_file = ""
        if ref.within_file:
            key = q(self.spec.key[0])
            in_file = f" AND NOT EXISTS (SELECT 1 FROM {TABLE} p WHERE p.{key} = s.{q(ref.column)})"
        col = q(ref.column)
        base = f"FROM {TABLE} s LEFT JOIN {q(target.db_table)} r ON r.{to_col} = s.{col}"
        with translation.override("en"):  # stable English: scripts read these reasons
            name = str(target.verbose_name)
        errors = [(row, ref.column, value, f"no such {name}") for row, value in self.fetch(
            f"SELECT s.row_no, s.{col} {base} WHERE s.{col} IS NOT NULL AND r.id IS NULL{in_file}"
        )]
        if hasattr(ref.model, "voided_at"):
            errors += [(row, ref.column, value, f"the {name} is voided") for row, value in
                       self.fetch(f"SELECT s.row_no, s.{col} {base} WHERE r.voided_at IS NOT NULL")]
        if ref.where:
            errors += [(row, ref.column, value, ref.where_reason) for row, value in self.fetch(
                f"SELECT s.row_no, s.{col} {base} WHERE r.id IS NOT NULL AND NOT ({ref.where})"
            )]
        return errors

    def staged(self, *names: str):
        """The staged rows (row_no first) for a kind's own checks: use for small files only."""
        cols = ", ".join(q(n) for n in names)
        return self.fetch(f"SELECT row_no, {cols} FROM {TABLE} ORDER BY row_no")

    # -- writing -------------------------------------------------------------------------

    def _ref_joins(self, refs, outer: bool = False) -> str:
        """Joins for the required references; optional ones are looked up by `_ref_id`."""
        joins = []
        for i, ref in enumerate(refs):
            if not self._required(ref):
                continue
            meta = ref.model._meta
            to_col = q(meta.get_field(ref.to_field).column)
            kind = "LEFT JOIN" if outer else "JOIN"
            joins.append(f"{kind} {q(meta.db_table)} r{i} ON r{i}.{to_col} = s.{q(ref.column)}")
        return " ".join(joins)

    def _required(self, ref: Reference) -> bool:
        return self.spec.column(ref.column).required

    def _ref_id(self, i: int, ref: Reference) -> str:
        """The referenced row's id. An optional reference (a case's policy) is a scalar
        lookup by the unique key: hash-joining on it would put every empty cell in one
        hash bucket, which PostgreSQL cannot split (a 200,000-row file took minutes)."""
        if self._required(ref):
            return f"r{i}.id"
        meta = ref.model._meta
        to_col = q(meta.get_field(ref.to_field).column)
        return f"(SELECT o.id FROM {q(meta.db_table)} o WHERE o.{to_col} = s.{q(ref.column)})"

    def _fk_column(self, ref: Reference) -> str:
        return q(self.model._meta.get_field(ref.field).column)

    def _differs(self, *, self_refs: bool = True) -> str:
        """SQL true when a staged row differs from its stored twin `t` in any column."""
        terms = [f"t.{q(self.fields[c.name].column)} IS DISTINCT FROM s.{q(c.name)}"
                 for c in self.plain if c.name not in self.spec.key]
        terms += [f"t.{self._fk_column(r)} IS DISTINCT FROM {self._ref_id(i, r)}"
                  for i, r in enumerate(self.outer_refs)]
        if self_refs:  # only where the self-joins `sr{i}` are in the query
            terms += [f"t.{self._fk_column(r)} IS DISTINCT FROM sr{i}.id"
                      for i, r in enumerate(self.self_refs)]
        return " OR ".join(terms) or "1 = 0"

    def _self_joins(self) -> str:
        joins = []
        for i, ref in enumerate(self.self_refs):
            to_col = q(self.model._meta.get_field(ref.to_field).column)
            joins.append(f"LEFT JOIN {self.table} sr{i} ON sr{i}.{to_col} = s.{q(ref.column)}")
        return " ".join(joins)

    def resolve_key_references(self) -> None:
        """Add the ids of the rows the key names (checked to exist) to the stage."""
        for ref in self.key_refs:
            meta = ref.model._meta
            to_col = q(meta.get_field(ref.to_field).column)
            self.execute(f"ALTER TABLE {TABLE} ADD COLUMN {q(_resolved(ref.column))} bigint")
            self.execute(f"UPDATE {TABLE} SET {q(_resolved(ref.column))} = (SELECT o.id FROM "
                         f"{q(meta.db_table)} o WHERE o.{to_col} = {TABLE}.{q(ref.column)})")

    def voided_rows(self) -> list[tuple[int, str]]:
        key = q(self.spec.key[0])
        return self.fetch(f"SELECT s.row_no, s.{key} FROM {TABLE} s JOIN {self.table} t "
                          f"ON {self.key_join} WHERE t.voided_at IS NOT NULL ORDER BY s.row_no")

    def changed_rows(self) -> list[tuple[str, dict]]:
        """(key, {field: [old, new]}) of every live stored row the file changes."""
        plain = [c for c in self.plain if c.name not in self.spec.key]
        old_new = [f"t.{q(self.fields[c.name].column)}, s.{q(c.name)}" for c in plain]
        refs = self.outer_refs + self.self_refs
        old_ref = []
        for ref in refs:
            meta = ref.model._meta
            to_col = q(meta.get_field(ref.to_field).column)
            old_ref.append(f"(SELECT o.{to_col} FROM {q(meta.db_table)} o "
                           f"WHERE o.id = t.{self._fk_column(ref)}), s.{q(ref.column)}")
        select = ", ".join([f"s.{q(k)}" for k in self.spec.key] + old_new + old_ref)
        rows = self.fetch(
            f"SELECT {select} FROM {TABLE} s JOIN {self.table} t ON {self.key_join} "
            f"{self._ref_joins(self.outer_refs, outer=True)} {self._self_joins()} "
            f"WHERE t.voided_at IS NULL AND ({self._differs()}) ORDER BY s.row_no"
        )
        names = [c.target for c in plain] + [r.column for r in refs]
        shown = [self._shown(c.name) for c in plain] + [_plain] * len(refs)
        nkey = len(self.spec.key)
        changes = []
        for row in rows:
            diff = {}
            for name, show, old, new in zip(names, shown, row[nkey::2], row[nkey + 1::2],
                                            strict=True):
                old, new = show(old), show(new)
                if old != new:
                    diff[name] = [old, new]
            changes.append(("/".join(str(k) for k in row[:nkey]), diff))
        return changes

    def _shown(self, name: str):
        """How a column's old and new values enter the history: a sealed number masked
        (the history is read by more people than may see the number)."""
        field = self.sealed.get(name)
        if field is None:
            return _plain
        mask = mask_id_number if field.kind == "id_number" else mask_phone
        return lambda value: mask(field.from_db_value(value, None, self.connection))

    def insert_new(self, now: dt.datetime) -> int:
        meta = self.model._meta
        cols, exprs, params = [], [], []
        for c in self.plain:
            cols.append(q(self.fields[c.name].column))
            exprs.append(f"s.{q(c.name)}")
        for i, ref in enumerate(self.outer_refs):
            cols.append(self._fk_column(ref))
            exprs.append(self._ref_id(i, ref))
        covered = {self.fields[c.name].name for c in self.plain}
        covered |= {r.field for r in self.refs} | {meta.pk.name}
        for f in meta.concrete_fields:
            if f.name in covered or (isinstance(f, ForeignKey) and f.null):
                continue
            absent = next((c for c in self.absent if c.target == f.name), None)
            cols.append(q(f.column))
            if absent is not None and absent.default_from:
                exprs.append(f"s.{q(absent.default_from)}")
                continue
            value = absent.default if absent else (now if f.name in ("created_at", "updated_at")
                                                   else f.get_default())
            exprs.append("%s")
            params.append(f.get_db_prep_save(value, self.connection))
        return self.execute(
            f"INSERT INTO {self.table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
            f"FROM {TABLE} s {self._ref_joins(self.outer_refs)} "
            # Rows whose key is stored already were updated (or are voided): the unique key
            # skips them row by row. Not an anti-join against the table being filled: with
            # the statistics of an empty table the planner would rescan it for every row.
            # (`WHERE true` tells SQLite's parser the SELECT ends before ON CONFLICT.)
            f"WHERE true ON CONFLICT DO NOTHING",
            params,
        )

    def update_changed(self, now: dt.datetime) -> int:
        sets = [f"{q(self.fields[c.name].column)} = s.{q(c.name)}"
                for c in self.plain if c.name not in self.spec.key]
        sets += [f"{self._fk_column(r)} = {self._ref_id(i, r)}"
                 for i, r in enumerate(self.outer_refs)]
        sets.append(f"{q(self.model._meta.get_field('updated_at').column)} = %s")
        # Rows pointing at rows of the same file are set by update_within_file_references.
        differs = self._differs(self_refs=False)
        return self.execute(
            f"UPDATE {self.table} AS t SET {', '.join(sets)} "
            f"FROM {TABLE} s {self._ref_joins(self.outer_refs)} "
            f"WHERE {self.key_join} AND t.voided_at IS NULL AND ({differs})",
            [self.model._meta.get_field("updated_at").get_db_prep_save(now, self.connection)],
        )

    def update_within_file_references(self) -> None:
        """Point rows at rows of the same file (a unit's parent), now that all exist."""
        for ref in self.self_refs:
            fk = self._fk_column(ref)
            to_col = q(self.model._meta.get_field(ref.to_field).column)
            self.execute(
                f"UPDATE {self.table} AS t SET {fk} = (SELECT p.id FROM {self.table} p "
                f"WHERE p.{to_col} = s.{q(ref.column)}) FROM {TABLE} s "
                f"WHERE {self.key_join} AND t.voided_at IS NULL AND t.{fk} IS DISTINCT FROM "
                f"(SELECT p.id FROM {self.table} p WHERE p.{to_col} = s.{q(ref.column)})"
            )


def _resolved(column: str) -> str:
    return f"_id_{column}"


def _plain(value):
    """A stored or staged value as JSON: dates ISO, booleans from SQLite's 0/1 kept as is."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
