"""The command line: each command is a thin call into the Python API.

Data goes to stdout, messages and progress to stderr. Exit codes: 0 ok, 1 finished but
some records failed, 2 usage, 3 fatal.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import EXIT_FATAL, EXIT_OK, EXIT_RECORD_ERRORS, StorytraceError
from .settings import load_settings

DB_OPTION = click.option("--db", "db", default="storytrace.db", show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite store.")


FETCH_OPTION = click.option("--fetch", is_flag=True,
                            help="Download http(s) URLs given as inputs (public addresses only; "
                                 "see docs/security-model.md).")


def _err(message: str) -> None:
    click.echo(message, err=True)


def _error_printer():
    def show(error) -> None:
        _err(f"error: {error}")
    return show


class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress
            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.task = None

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
            self.task = self.bar.add_task("starting", total=None)
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar:
            self.bar.update(self.task, description=stage, completed=min(done, total), total=total or None)


def _run(fn):
    """Turn StorytraceError into a clear message and exit code, never a traceback."""
    try:
        return fn()
    except StorytraceError as exc:
        _err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(EXIT_FATAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storytrace")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Settings TOML file.")
@click.pass_context
def main(ctx, config):
    """storytrace: follow one news story across many outlets."""
    ctx.obj = {"config": config}


def _settings(ctx):
    try:
        return load_settings(ctx.obj.get("config"))
    except (ValueError, OSError) as exc:
        raise click.UsageError(f"bad settings: {exc}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@DB_OPTION
@FETCH_OPTION
@click.pass_context
def ingest(ctx, inputs, db, fetch):
    """Read articles (files, folders, '-' for stdin) into the store."""
    from .ingest import ingest as run_ingest
    from .store import Store

    settings = _settings(ctx)

    def go():
        with Store(db) as store:
            run_id = store.begin_run("ingest", inputs)
            status = "failed"
            try:
                report = run_ingest(inputs, store, run_id, settings, on_error=_error_printer(), fetch=fetch)
                status = "errors" if report.errors else "ok"
            finally:
                store.finish_run(run_id, status)
        _err(f"ingested {report.records} records from {report.files} files: {report.added} new, "
             f"{report.changed} changed, {report.unchanged} unchanged, {len(report.errors)} errors")
        return EXIT_RECORD_ERRORS if report.errors else EXIT_OK

    sys.exit(_run(go))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--db", "db", default=None, type=click.Path(dir_okay=False),
              help="SQLite store [default: OUT/storytrace.db].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--scheduler", default=None, help="Address of an existing Dask scheduler.")
@FETCH_OPTION
@click.pass_context
def analyze(ctx, inputs, out, db, engine, workers, scheduler, fetch):
    """Ingest INPUTS, run every stage, write analysis.json and the dossiers to OUT."""
    from .pipeline import analyze as run_analyze

    settings = _settings(ctx)

    def go():
        with _Progress() as progress:
            result = run_analyze(inputs, db=db, out=out, settings=settings, engine=engine,
                                 workers=workers, scheduler=scheduler, on_error=_error_printer(),
                                 progress=progress, fetch=fetch, keep_records=False)
        index = Path(out) / "index.html"
        _err(f"{len(result.articles)} articles, {len(result.stories)} stories, "
             f"{len(result.errors)} input errors")
        click.echo(f"dossiers: {index.resolve()}")
        return EXIT_RECORD_ERRORS if result.errors else EXIT_OK

    sys.exit(_run(go))


@main.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
def stories(db, as_json):
    """List stories: size, outlets, date range and label."""
    from .queries import list_stories

    rows = _run(lambda: list_stories(db))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("story", "articles", "outlets", "first", "last", "title")
    for r in rows:
        table.add_row(r["id"], str(r["size"]), str(len(r["outlets"])), r["first_published"] or "",
                      r["last_published"] or "", r["title"] or "")
    Console(markup=False).print(table)


@main.command()
@click.argument("story_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def show(story_id, db, as_json):
    """List a story's articles and duplicate groups."""
    from .queries import story_detail

    detail = _run(lambda: story_detail(db, story_id))
    if detail is None:
        _err(f"error: no story {story_id!r} in {db}")
        sys.exit(EXIT_RECORD_ERRORS)
    if as_json:
        click.echo(json.dumps(detail, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(markup=False)
    console.print(f"{detail['id']}: {detail['title']}  ({len(detail['articles'])} articles)")
    table = Table("article", "outlet", "published", "duplicate of", "title")
    for a in detail["articles"]:
        table.add_row(a["id"], a["source"] or "", a["published"] or "", a["duplicate_of"] or "", a["title"] or "")
    console.print(table)
    for group in detail["duplicate_groups"]:
        console.print(f"duplicate group of {group['representative']}: {', '.join(group['copies'])}")


@main.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def check(db, as_json):
    """Check the store: integrity, schema, counts, errors, interrupted runs."""
    from .queries import check_store

    report = _run(lambda: check_store(db))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(f"store: {report['path']}  schema {report['schema_version']}  "
                   f"integrity: {'ok' if report['ok'] else 'FAILED'}")
        for name, n in report["counts"].items():
            click.echo(f"  {name}: {n}")
        for e in report["errors"]:
            click.echo(f"  errors[{e['code']}]: {e['n']}")
        for r in report["interrupted_runs"]:
            click.echo(f"  interrupted run {r['id']} ({r['command']}, started {r['started_at']})")
    sys.exit(EXIT_OK if report["ok"] else EXIT_FATAL)


@main.command()
@click.argument("table")
@DB_OPTION
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(["jsonl", "csv", "parquet", "gexf", "graphml"]))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help="File (default stdout).")
def export(table, db, fmt, output):
    """Export TABLE (articles, stories, links, quotes, claims, claim_groups, or graph)."""
    from .export import export_table

    def go():
        export_table(db, table, fmt, output)
        return EXIT_OK

    sys.exit(_run(go))


@main.command()
@DB_OPTION
@click.option("--port", default=8765, show_default=True, type=int)
def serve(db, port):
    """Browse the store in a local, read-only web app on 127.0.0.1."""
    from .web import serve as run_server

    _run(lambda: run_server(db, port))


if __name__ == "__main__":
    main()
