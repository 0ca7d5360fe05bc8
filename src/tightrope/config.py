"""One configuration object for a Tightrope run: `Settings`.

Where a setting comes from, later over earlier:
1. the defaults below;
2. a TOML file (`tightrope extract --config FILE`, or `load_settings(FILE)`);
3. the environment, read once here and nowhere else: `TIGHTROPE_TYPER` (= `[events] typer`) and
   `TIGHTROPE_FULL_NER` (= `[parse] full_ner`);
4. command-line flags (`Settings.replace(...)`).

Every key, in its TOML section (the field of `Settings` has the same name; the `data` tables together are
`Settings.data`):

[run]
    executor         "processes" (the default, unless `dask` is set): coding processes on this machine, `workers`
                     of them; an input of less than one batch is coded in the calling process instead.
                     "inprocess": everything in the calling process. "dask" (the default when `dask` is set): a
                     Dask cluster (`dask` says which).
    workers          number of coding processes (default 1). Under `executor = "dask"` with `dask = "local"` it
                     sizes the LocalCluster (default: one process per core); a Dask cluster given by address or
                     client has its own size, and setting `workers` there is an error.
    dask             "local", "local:N" (a LocalCluster of N single-threaded processes) or a scheduler address
                     "tcp://HOST:PORT". Setting it implies `executor = "dask"`.
    batch_size       articles per parse batch and per database transaction (64).
    tasks_per_batch  with coding processes or Dask, a batch is coded as this many tasks (default 4), so that
                     the end of a run is shared out evenly; results are regrouped into batches for the store.
                     The in-process executor codes whole batches (setting it there is an error).
    limit            code at most this many new articles (default: all).
    max_chars        refuse articles longer than this many characters (default 2,000,000).
    lock_timeout     seconds a run waits for the database while another process holds it (default 10): two
                     extracts on one file take turns batch by batch; past this, the run ends with one line
                     naming the process that holds the file.
[limits]
    What one input may cost, enforced while it is read (`tightrope.ingest.limits`): a file or item over a limit
    is refused with one line naming it and the limit, and the run goes on.
    max_file_bytes      decompressed bytes read from one streamed file (JSONL, CSV, WARC; default 32 GiB).
    max_item_bytes      decompressed bytes of one JSONL line or CSV record (default: room for `max_chars`
                        characters escaped in JSON, 12 bytes each, plus 1 MiB of other columns).
    max_document_bytes  a file parsed whole: a .json array, an RSS/Atom feed (default 256 MiB).
    max_temp_bytes      a .parquet.gz gunzipped to a temporary file (default 2 GiB).
[parse]
    selective_parse  only segments that may hold an actor or a quotation get the full spaCy parse (true).
    full_ner         run the entity recogniser over whole parsed segments instead of the windows around
                     capitalised words, numbers and time words (false).
[actors]
    user_dictionary  a YAML/CSV file adding or overriding actor entries (`--actors`).
[events]
    typer            "linear" (default; numpy only), "neural" (MiniLM, the [neural] extra) or "ensemble" (the
                     mean of both). "lr" is read as "linear".
    min_confidence   the least event confidence (the probability that an event is right) at which it is kept
                     and stored (0.3, chosen on the dev data for precision); 0 keeps every event found.
[actors.data], [events.data], [quotes.data]
    FILE = "PATH"    a file of your own in place of the component's packaged language data file FILE
                     (see `tightrope.langdata`), e.g. `"triggers.tsv" = "my_triggers.tsv"` in [events.data].

An unknown section or key, or a value of the wrong type, is an error that names the file and the key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .ingest.limits import (DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TEMP_BYTES,
                            ReadLimits)

TYPERS = ("linear", "neural", "ensemble")
EXECUTORS = ("processes", "inprocess", "dask")
COMPONENTS = ("actors", "events", "quotes")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key (and the file) and what is wrong."""


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run; see the module docstring for each key."""

    executor: str | None = None  # None: "dask" when `dask` is set, else "processes" (see `executor_name`)
    workers: int | None = None
    dask: str | None = None
    batch_size: int = 64
    tasks_per_batch: int | None = None  # None: 4 where tasks are shared out
    limit: int | None = None
    max_chars: int | None = None  # None: ingest.limits.DEFAULT_MAX_CHARS
    lock_timeout: float = 10.0
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_item_bytes: int | None = None  # None: follows max_chars (see ReadLimits.item_bytes)
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_temp_bytes: int = DEFAULT_MAX_TEMP_BYTES
    selective_parse: bool = True
    full_ner: bool = False
    user_dictionary: str | None = None
    typer: str = "linear"
    min_confidence: float = 0.3
    # component name ("actors", "events", "quotes") -> {data file name: path of the user's file}
    data: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.typer == "lr":
            object.__setattr__(self, "typer", "linear")
        _check(self)

    @property
    def executor_name(self) -> str:
        """The executor asked for: `executor` when set, else "dask" when `dask` is set, else "processes"."""
        return self.executor or ("dask" if self.dask else "processes")

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` applied; a None value leaves the setting as it is (an option not given)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def read_limits(self) -> ReadLimits:
        """What one input may cost while it is read (`tightrope.ingest.read_paths(..., limits=)`)."""
        limits = ReadLimits(max_file_bytes=self.max_file_bytes, max_item_bytes=self.max_item_bytes,
                            max_document_bytes=self.max_document_bytes, max_temp_bytes=self.max_temp_bytes)
        return dataclasses.replace(limits, max_chars=self.max_chars) if self.max_chars else limits

    def component_data(self, component: str) -> dict[str, str]:
        """The data-file overrides of one component."""
        return dict(self.data.get(component, {}))

    def check_files(self) -> None:
        """Raise `SettingsError` naming the first user file (actor dictionary, data override) that is not
        there: before a run starts, rather than in every coding process."""
        named = [("user_dictionary", self.user_dictionary)] if self.user_dictionary else []
        named += [(f"{c}.data.{name}", path) for c, d in self.data.items() for name, path in d.items()]
        for key, path in named:
            if not Path(path).is_file():
                raise SettingsError(f"{key}: {path}: no such file")

    def coding_key(self) -> tuple:
        """What decides how an article is coded (not how the run is organised): equal keys, equal output."""
        return (self.selective_parse, self.full_ner, self.user_dictionary, self.typer, self.min_confidence,
                tuple(sorted((c, tuple(sorted(d.items()))) for c, d in self.data.items())))


# The TOML file's layout: section -> {key: Settings field} (plus a `data` table in each component section)
TOML_SECTIONS: dict[str, dict[str, str]] = {
    "run": {k: k for k in ("executor", "workers", "dask", "batch_size", "tasks_per_batch", "limit", "max_chars",
                            "lock_timeout")},
    "limits": {k: k for k in ("max_file_bytes", "max_item_bytes", "max_document_bytes", "max_temp_bytes")},
    "parse": {"selective_parse": "selective_parse", "full_ner": "full_ner"},
    "actors": {"user_dictionary": "user_dictionary"},
    "events": {"typer": "typer", "min_confidence": "min_confidence"},
    "quotes": {},
}

_TYPES: dict[str, tuple[type, ...]] = {
    "executor": (str,), "workers": (int,), "dask": (str,), "batch_size": (int,), "tasks_per_batch": (int,),
    "limit": (int,), "max_chars": (int,), "lock_timeout": (int, float), "max_file_bytes": (int,),
    "max_item_bytes": (int,), "max_document_bytes": (int,), "max_temp_bytes": (int,), "selective_parse": (bool,), "full_ner": (bool,),
    "user_dictionary": (str,), "typer": (str,), "min_confidence": (int, float),
}


def _check(s: Settings) -> None:
    for f in fields(s):
        value = getattr(s, f.name)
        want = _TYPES.get(f.name)
        if want is None or value is None:
            continue
        # bool is an int in Python: a count given as true/false is still wrong
        if not isinstance(value, want) or (isinstance(value, bool) and bool not in want):
            raise SettingsError(f"{f.name}: expected {' or '.join(t.__name__ for t in want)}, got {value!r}")
    if s.typer not in TYPERS:
        raise SettingsError(f"typer: {s.typer!r} is not one of {', '.join(TYPERS)}")
    if s.executor is not None and s.executor not in EXECUTORS:
        raise SettingsError(f"executor: {s.executor!r} is not one of {', '.join(EXECUTORS)}")
    for name in ("batch_size", "tasks_per_batch", "workers", "max_chars", "max_file_bytes", "max_item_bytes",
                 "max_document_bytes", "max_temp_bytes"):
        value = getattr(s, name)
        if value is not None and value < 1:
            raise SettingsError(f"{name}: must be at least 1, got {value}")
    if s.lock_timeout < 0:
        raise SettingsError(f"lock_timeout: must not be negative, got {s.lock_timeout}")
    if s.limit is not None and s.limit < 0:
        raise SettingsError(f"limit: must not be negative, got {s.limit}")
    if not 0.0 <= s.min_confidence <= 1.0:
        raise SettingsError(f"min_confidence: must be between 0 and 1, got {s.min_confidence}")
    if s.executor_name == "dask" and not s.dask:
        raise SettingsError("executor 'dask' needs a cluster: dask = \"local\", \"local:N\" or \"tcp://HOST:PORT\"")
    if s.dask and s.executor_name != "dask":
        raise SettingsError(f"dask = {s.dask!r} is set but executor is {s.executor!r}")
    if s.dask:
        _check_dask(s)
    if s.executor_name == "inprocess" and (s.workers or 1) != 1:
        raise SettingsError(f"workers = {s.workers}: the in-process executor codes in one process "
                            "(use executor \"processes\" for coding processes)")
    for component, overrides in s.data.items():
        if component not in COMPONENTS:
            raise SettingsError(f"data: no component {component!r} (components: {', '.join(COMPONENTS)})")
        for name, path in overrides.items():
            if not isinstance(path, (str, os.PathLike)):
                raise SettingsError(f"{component}.data.{name}: expected a path, got {path!r}")


def _check_dask(s: Settings) -> None:
    address = s.dask
    if address == "local":
        return
    if address.startswith("local:"):
        n = address.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise SettingsError(f"dask: {address!r}: the number of processes after 'local:' must be a whole number ≥ 1")
        if s.workers is not None and s.workers != int(n):
            raise SettingsError(f"workers = {s.workers} contradicts dask = {address!r}: give one of them")
        return
    if "://" not in address:
        raise SettingsError(f"dask: {address!r} is not 'local', 'local:N' or a scheduler address like tcp://HOST:8786")
    if s.workers is not None:
        raise SettingsError(f"workers = {s.workers}: a Dask cluster at {address} has the workers it was started "
                            "with; size it there (workers sizes only dask = \"local\")")


def settings_from_toml(path: str | Path, base: Settings | None = None) -> Settings:
    """`base` (the defaults) with the keys of the TOML file `path` applied; user paths in it are taken
    relative to the file's folder."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    changes: dict[str, Any] = {}
    data: dict[str, dict[str, str]] = {}
    for section, body in raw.items():
        if section not in TOML_SECTIONS:
            raise SettingsError(f"{path}: unknown section [{section}] (sections: {', '.join(TOML_SECTIONS)})")
        if not isinstance(body, dict):
            raise SettingsError(f"{path}: {section} must be a section ([{section}]), not a value")
        for key, value in body.items():
            if key == "data" and section in COMPONENTS:
                if not isinstance(value, dict):
                    raise SettingsError(f"{path}: [{section}.data] must be a table of file = \"path\"")
                data[section] = {name: _relative(path, p, f"[{section}.data] {name}") for name, p in value.items()}
                continue
            if key not in TOML_SECTIONS[section]:
                known = ", ".join(list(TOML_SECTIONS[section]) + (["data"] if section in COMPONENTS else [])) or "none"
                raise SettingsError(f"{path}: unknown key '{key}' in [{section}] (keys: {known})")
            name = TOML_SECTIONS[section][key]
            changes[name] = _relative(path, value, f"[{section}] {key}") if name == "user_dictionary" else value
    base = base or Settings()
    if data:
        changes["data"] = {**{c: dict(d) for c, d in base.data.items()}, **data}
    try:
        return dataclasses.replace(base, **changes)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None


def _relative(config: Path, value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"{config}: {key}: expected a path (a string), got {value!r}")
    p = Path(value).expanduser()
    return str(p if p.is_absolute() else config.parent / p)


def settings_from_env(base: Settings, environ: Mapping[str, str] | None = None) -> Settings:
    """`base` with the environment's overrides (`TIGHTROPE_TYPER`, `TIGHTROPE_FULL_NER`) applied."""
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    if env.get("TIGHTROPE_TYPER"):
        changes["typer"] = env["TIGHTROPE_TYPER"].strip()
    if env.get("TIGHTROPE_FULL_NER", "") not in ("", "0"):
        changes["full_ner"] = True
    try:
        return dataclasses.replace(base, **changes)
    except SettingsError as exc:
        raise SettingsError(f"environment: {exc}") from None


def load_settings(config: str | Path | None = None, environ: Mapping[str, str] | None = None,
                  **overrides: Any) -> Settings:
    """Defaults, then the TOML file `config`, then the environment, then `overrides` (None = not given)."""
    settings = settings_from_toml(config) if config else Settings()
    settings = settings_from_env(settings, environ)
    return settings.replace(**overrides)
