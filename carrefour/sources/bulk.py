"""Fast inserts for imports: rows given as plain tuples, written with one prepared statement per batch.

Django's `bulk_create` builds a model instance and prepares every field of every row: on a 100,000-row import that
was most of the run's time. Here a `Table` prepares the constant columns (defaults, run timestamps) once, adapts only
the columns that need it (JSON, datetimes) and hands the rows to the driver's `executemany`. It writes no signal,
exactly like `bulk_create`: callers enqueue the search outbox themselves. Portable: SQLite and PostgreSQL.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.constants import OnConflict

EXECUTEMANY_CHUNK = 5000


class Table:
    """Inserts into `model`'s table: `columns` (attnames) vary per row, every other column gets `constants` or its
    default, prepared once. The primary key is left to the database."""

    def __init__(self, model, columns: Sequence[str], constants: dict | None = None):
        fields = {field.attname: field for field in model._meta.concrete_fields if not field.primary_key}
        unknown = [name for name in [*columns, *(constants or {})] if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}")
        self.model, self.columns = model, tuple(columns)
        fixed = {name: field.get_default() for name, field in fields.items() if name not in self.columns}
        fixed.update(constants or {})
        self.fixed = tuple(fixed)
        self.fixed_values = tuple(_plain(fields[name].get_db_prep_save(fixed[name], connection)) for name in self.fixed)
        self.fields = [fields[name] for name in (*self.columns, *self.fixed)]
        self.adapters = [(index, adapter) for index, name in enumerate(self.columns)
                         if (adapter := _adapter(fields[name])) is not None]  # fmt: skip
        self.names = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    def prepared(self, rows: Iterable[Sequence]) -> list[tuple]:
        fixed, adapters = self.fixed_values, self.adapters
        if not adapters:
            return [(*row, *fixed) for row in rows]
        result = []
        for row in rows:
            values = list(row)
            for index, adapter in adapters:
                if values[index] is not None:
                    values[index] = adapter(values[index])
            result.append((*values, *fixed))
        return result

    def insert(self, rows: Iterable[Sequence], *, ignore_conflicts: bool = False) -> int:
        """Insert every row; with `ignore_conflicts`, rows breaking a unique constraint are skipped."""
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        sql = " ".join(
            part
            for part in (
                connection.ops.insert_statement(on_conflict=on_conflict),
                f"{self.table} ({self.names}) VALUES {self.placeholders}",
                connection.ops.on_conflict_suffix_sql(self.fields, on_conflict, None, None),
            )
            if part
        )
        prepared = self.prepared(rows)
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), EXECUTEMANY_CHUNK):
                cursor.executemany(sql, prepared[start : start + EXECUTEMANY_CHUNK])
        return len(prepared)

    def insert_returning(self, rows: Iterable[Sequence], returning: Sequence[str]) -> list[tuple]:
        """Insert every row and return the `returning` columns of each new row (in no guaranteed order: return
        a unique column with the primary key to match them)."""
        prepared = self.prepared(rows)
        back = [self.model._meta.get_field(name) for name in returning]
        # Only the backends that can return inserted rows have it (PostgreSQL, SQLite 3.35+): not the base class.
        suffix, _params = connection.ops.return_insert_columns(back)  # type: ignore[attr-defined]
        size = max(1, connection.ops.bulk_batch_size(self.fields, prepared))
        found: list[tuple] = []
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), size):
                batch = prepared[start : start + size]
                values = ", ".join([self.placeholders] * len(batch))
                # Quoted model identifiers and %s placeholders only: the values go as parameters.
                sql = f"INSERT INTO {self.table} ({self.names}) VALUES {values} {suffix}"  # nosec B608
                cursor.execute(sql, [value for row in batch for value in row])
                found.extend(cursor.fetchall())
        return found


def _plain(value):
    """Choices members are `str`/`int` subclasses: hand the driver the plain value."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return value


def _adapter(field):
    kind = field.get_internal_type()
    if kind == "JSONField":
        return lambda value, encoder=field.encoder: connection.ops.adapt_json_value(value, encoder)
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return None
