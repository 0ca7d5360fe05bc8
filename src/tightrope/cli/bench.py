"""`tightrope bench NAME PATH`: one command per harness in tightrope.bench (each module owns its logic)."""

from __future__ import annotations

from typing import Optional

import typer

from .app import bench_app


@bench_app.command("plv")
def bench_plv(path: str = typer.Argument(..., help="TSV with gold_root, sentence, marked_sentence, source, target."),
              folds: int = typer.Option(5, help="Cross-validation folds when the file is training data."),
              limit: Optional[int] = typer.Option(None, help="Use the first N rows."),
              typer_: str = typer.Option("auto", "--typer", help="auto (neural when installed), lr, neural or ensemble.")) -> None:
    """PLOVER event type given the sentence and gold source/target spans: accuracy, macro-F1."""
    from ..bench.plv import run

    run(path, folds=folds, limit=limit, typer=typer_)


@bench_app.command("spans")
def bench_spans(path: str = typer.Argument(..., help="BIO file like conflibert_cameo/cameo_ner/*.txt."),
                limit: Optional[int] = typer.Option(None, help="Use the first N sentences.")) -> None:
    """Source/target actor spans picked by Tightrope against BIO gold: span and token F1."""
    from ..bench.spans import run

    run(path, limit=limit)


@bench_app.command("gsr")
def bench_gsr(path: str = typer.Argument(..., help="JSON file like plover_gsr/PLOVER_GSR_CAMEO.txt."),
              errors: int = typer.Option(0, "--errors", help="Print up to N actor errors (country or sector)."),
              half: Optional[str] = typer.Option(None, "--half", help="With --errors: only those of this half of the "
                                                 "records (dev or held).")) -> None:
    """End-to-end event coding on PLOVER gold records: (source, target, type) P/R/F1, actor accuracy."""
    from ..bench.gsr import run

    if half is not None and half not in ("dev", "held"):
        raise typer.BadParameter(f"{half!r}: dev or held", param_hint="--half")
    run(path, show_errors=errors, errors_half=half)


@bench_app.command("polnear")
def bench_polnear(path: str = typer.Argument(..., help="A split folder with text/ and attributions/ (brat)."),
                  limit: Optional[int] = typer.Option(None, help="Use the first N articles.")) -> None:
    """Quotes and attribution against PolNeAR: content/source/cue F1, all and direct only."""
    from ..bench.polnear import run

    run(path, limit=limit)


@bench_app.command("stance")
def bench_stance(path: str = typer.Argument(..., help="Emergent CSV, or a folder with FNC-1 stances + bodies CSVs."),
                 limit: Optional[int] = typer.Option(None, help="Use the first N items.")) -> None:
    """Does a report support, deny or only relay a claim: accuracy, macro-F1."""
    from ..bench.stance import run

    run(path, limit=limit)


@bench_app.command("stories")
def bench_stories(path: str = typer.Argument(..., help="BASIL-like folder, or JSONL of {id, story, title, text, outlet, date}."),
                  limit: Optional[int] = typer.Option(None, help="Use the first N articles."),
                  text_field: Optional[str] = typer.Option(None, help="Text column for an unlabelled corpus (scale run)."),
                  extract: bool = typer.Option(False, help="Group the pipeline's results (events, quotes) instead of bare articles."),
                  embeddings: Optional[str] = typer.Option(None, help="An .npy file to keep the lead embeddings in between runs."),
                  years: Optional[str] = typer.Option(None, help="BASIL year folders only, e.g. 2013-2014.")) -> None:
    """Story grouping against gold story labels: BCubed and pairwise F1, articles/s."""
    from ..bench.stories import run

    run(path, limit=limit, text_field=text_field, extract=extract, cache=embeddings, years=years)


def _voa_bench(name: str, help_text: str):
    def command(path: str = typer.Argument(..., help="A folder like voa_events/ (stories.jsonl + gold.yaml)."),
                limit: Optional[int] = typer.Option(None, help="Use the first N stories."),
                details: bool = typer.Option(False, "--details", help="Print every miss and extra with its cause."),
                half: Optional[str] = typer.Option(None, "--half", help="With --details: print only the misses of "
                                                   "this half of the stories (dev or held), where the bench has halves.")) -> None:
        from importlib import import_module
        from inspect import signature

        run = import_module(f"tightrope.bench.{name}").run
        if half is not None and half not in ("dev", "held"):
            raise typer.BadParameter(f"{half!r}: dev or held", param_hint="--half")
        if half is not None and "half" not in signature(run).parameters:
            raise typer.BadParameter(f"bench {name} has no --half", param_hint="--half")
        run(path, limit=limit, details=details, **({"half": half} if half is not None else {}))

    command.__doc__ = help_text
    bench_app.command(name)(command)


_voa_bench("events", "Events end to end on real news against a voa_events-like gold: P/R for (source country, "
                     "target country, type), dyad P/R, modality, dates, per type, counted causes.")
_voa_bench("actors", "Actor resolution on real news: mentions found, country and country+sector accuracy, by kind.")
_voa_bench("quotes", "Quotes on real news: gold quotes found with the right speaker country, quotes per story.")


@bench_app.command("throughput")
def bench_throughput(
    path: Optional[str] = typer.Argument(None, help="JSONL(.gz)/Parquet corpus (default: the shared allsides file)."),
    limit: Optional[int] = typer.Option(None, help="Take the first N articles."),
    text_field: Optional[str] = typer.Option(None, help="Column holding the text (default: guessed)."),
    workers: str = typer.Option("1,2", help="Process counts to measure, comma-separated."),
    sizes: str = typer.Option("1000,2000,4000,8000", help="Corpus sizes for the cost slope."),
    spacy_baseline: bool = typer.Option(True, "--spacy/--no-spacy", help="Also time plain spaCy nlp.pipe."),
    compare_limit: Optional[int] = typer.Option(
        None, help="Articles for the side-by-side comparison (default: all); the cost slope still uses --sizes."),
) -> None:
    """Articles/s and words/s of the full extract vs plain spaCy, stage times, peak RSS, cost slope."""
    from ..bench.throughput import run

    run(path, limit=limit, text_field=text_field, workers=[int(w) for w in workers.split(",")],
        sizes=[int(s) for s in sizes.split(",") if s], spacy_baseline=spacy_baseline,
        compare_limit=compare_limit)


@bench_app.command("reliability")
def bench_reliability(
    workdir: Optional[str] = typer.Argument(None, help="Folder for the hostile files and stores (default: a "
                                                       "temporary folder, removed afterwards). Needs ~3 GB free."),
    kills: int = typer.Option(12, help="SIGKILLs at random moments of a 960-article run."),
    burst: int = typer.Option(300, help="Requests sent to the dashboard at the same moment."),
    curves: bool = typer.Option(False, "--curves", help="Also time highlighting and coding one article of "
                                                        "10k to 1M characters (about 5 minutes more)."),
    only: Optional[str] = typer.Option(None, help="Run only these case groups, comma-separated: bomb, jsonl, csv, "
                                                  "parquet, markup, names, dates, views, exports, fifo, utf16, "
                                                  "entities, held, server, kills, sigint, worker, writers, shadow."),
) -> None:
    """Hostile inputs, SIGKILLs, a killed worker, Ctrl-C, concurrent writers and a request burst: case / expected /
    observed / pass / RSS."""
    from ..bench.reliability import run

    run(workdir, kills=kills, burst_n=burst, with_curves=curves, only=only.split(",") if only else None)


def _one_line_errors(command):
    """A benchmark stopped by a setting or a data file the user gave (a missing model file, a bad dictionary)
    ends with one line naming it, not a traceback."""
    import functools

    from ..config import SettingsError
    from ..langdata import LanguageDataError
    from ..pipeline import StageError
    from .messages import plain

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (StageError, LanguageDataError, SettingsError) as exc:
            typer.echo(f"error: {plain(str(exc))}", err=True)
            raise typer.Exit(2) from None

    return wrapped


for _info in bench_app.registered_commands:
    _info.callback = _one_line_errors(_info.callback)
