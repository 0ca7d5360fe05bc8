"""The Typer application object that every CLI module registers its commands on."""

import typer

app = typer.Typer(
    name="tightrope",
    help="Tightrope: political event data, quotes and stories from news articles, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(help="Benchmarks: each reads a data path and ends with one JSON line of figures.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")
