"""Parquet tables, read one record batch at a time so memory stays flat on large corpora."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..records import Article, InputProblem
from .common import DATE_FIELDS, OUTLET_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS, FieldMap
from .io import CHUNK_BYTES, STREAM_ERRORS, OverLimit, UnreadableFile, describe_error, is_gzip, open_binary
from .limits import MIB, ReadLimits, as_limits
from .tables import article_from_row

BATCH_ROWS = 512
BATCH_BYTES = 64 * MIB  # rows per batch shrink so that a batch of long rows still holds about this much
READ_BUFFER_BYTES = 1 << 20


def wanted_columns(available: list[str], fields: FieldMap) -> list[str]:
    """Only the columns the field map or the usual names can use: skips wide unused columns."""
    names = {fields.text, fields.title, fields.outlet, fields.published, fields.url}
    names.update(TEXT_FIELDS + TITLE_FIELDS + OUTLET_FIELDS + DATE_FIELDS + URL_FIELDS)
    return [col for col in available if col in names]


@contextmanager
def seekable_path(path: Path, limits: ReadLimits) -> Iterator[Path]:
    """Parquet needs random access: a .parquet.gz is gunzipped to a temporary file first, streamed,
    and refused (OverLimit) once the file passes limits.max_temp_bytes: a bomb never fills the disk."""
    if not is_gzip(path):
        yield path
        return
    limit = limits.max_temp_bytes
    with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
        written = 0
        with open_binary(path) as src:
            while chunk := src.read(CHUNK_BYTES):
                written += len(chunk)
                if written > limit:
                    raise OverLimit(f"gunzipped over {limit:,} bytes, the limit for its temporary file "
                                    "(max_temp_bytes); gunzip it to read it in place")
                tmp.write(chunk)
        tmp.flush()
        yield Path(tmp.name)


def rows_per_batch(table, columns: list[str]) -> int:
    """BATCH_ROWS, fewer when the rows are long (from the row groups' uncompressed sizes)."""
    meta = table.metadata
    wanted = set(columns)
    sizes = []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        if group.num_rows:
            size = sum(group.column(c).total_uncompressed_size for c in range(group.num_columns)
                       if group.column(c).path_in_schema.split(".")[0] in wanted)
            sizes.append(size / group.num_rows)
    per_row = max(sizes, default=0)
    return max(1, min(BATCH_ROWS, int(BATCH_BYTES // per_row) if per_row else BATCH_ROWS))


def row_bytes(batch) -> list[int]:
    """Bytes of each row's text-like values (strings, binaries), measured in Arrow without copying."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = None
    for column in batch.columns:
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind) \
                or pa.types.is_large_binary(kind):
            size = pc.fill_null(pc.binary_length(column), 0).cast(pa.int64())
            total = size if total is None else pc.add(total, size)
    return total.to_pylist() if total is not None else [0] * batch.num_rows


def read_parquet(path: Path, fields: FieldMap, limits: ReadLimits | int | None = None) -> Iterator[Article | InputProblem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    limits = as_limits(limits)
    row = 0
    try:
        with seekable_path(path, limits) as local:
            # pre_buffer (the default) keeps whole column chunks alive: memory grew with the file
            table = pq.ParquetFile(local, buffer_size=READ_BUFFER_BYTES, pre_buffer=False)
            missing = fields.missing_text_column(table.schema_arrow.names, fixed=True)
            if missing:
                yield InputProblem(str(path), missing)
                return
            columns = wanted_columns(table.schema_arrow.names, fields)
            if not columns:
                yield InputProblem(str(path), "no usable columns (use --text-field to name the text column)")
                return
            for batch in table.iter_batches(batch_size=rows_per_batch(table, columns), columns=columns):
                sizes = row_bytes(batch)
                fits = [size <= limits.item_bytes for size in sizes]
                # rows over the limit never become Python strings
                records = iter(batch.filter(pa.array(fits)).to_pylist() if not all(fits) else batch.to_pylist())
                for ok in fits:
                    row += 1
                    if ok:
                        yield article_from_row(next(records), f"{path}:{row}", fields, limits.max_chars)
                    else:
                        yield InputProblem(f"{path}:{row}", limits.item_problem("row"))
    except UnreadableFile as exc:
        yield InputProblem(str(path), str(exc))
    except (pa.ArrowException, *STREAM_ERRORS, ValueError) as exc:
        where = f"after row {row}" if row else "at the start"
        yield InputProblem(str(path), f"unreadable Parquet {where} ({describe_error(exc)})")
