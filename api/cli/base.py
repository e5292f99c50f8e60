"""Shared by every command: the app, common options, settings, the store, and the one place
errors become messages (:func:`reported_run`): a clear message on stderr and a non-zero exit,
never a traceback."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.text import Text

from aimsgraph.api.output import (
    Format,
    plain,
    print_plain,
    stderr_console,
    to_json,
)
from aimsgraph.graph.questions.kinds import PARAMETERS
from aimsgraph.ontology import AimsgraphError, BundleError

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from aimsgraph.api.settings import Settings  # as above
    from aimsgraph.graph import GraphStore
    from aimsgraph.graph.queries import Queries  # start-up: --help needs no query layer
    from aimsgraph.graph.questions.definitions import CheckParams


app = typer.Typer(help="Knowledge-graph governance and traceability for ISO/IEC 42001.",
                  rich_markup_mode=None,
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version  # only --version reads the metadata

        sys.stdout.write(f"aimsgraph {version('aimsgraph')}\n")
        raise typer.Exit()


#: Whether progress on stderr is silenced (``aimsgraph --quiet COMMAND``).
QUIET = {"on": False}


@app.callback()
def _root(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress on stderr (it is shown only on a terminal "
        "anyway).")] = False,
) -> None:
    """Knowledge-graph governance and traceability for ISO/IEC 42001."""
    QUIET["on"] = quiet


def shows_progress() -> bool:
    """Progress goes to stderr on a terminal, unless --quiet."""
    return sys.stderr.isatty() and not QUIET["on"]


FormatOption = Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv",
                                               help="Output format.")]


AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD",
                                                help="Evaluate as of this date (default today).")]


AsRecordedOption = Annotated[str | None, typer.Option(
    "--as-recorded", metavar="POINT", help="Answer on the graph as recorded at a run id, or at "
    "a date (the last successful run that ended by that day).")]


def _parameter_option(name: str) -> Any:
    """The option of a gap check parameter, with the range and meaning it declares."""
    parameter = PARAMETERS[name]
    return typer.Option(f"--{name.replace('_', '-')}", min=parameter.low, max=parameter.high,
                        metavar=f"{parameter.low}-{parameter.high}", help=parameter.description)


ThresholdOption = Annotated[int | None, _parameter_option("high_risk_threshold")]
KeyPersonOption = Annotated[int | None, _parameter_option("key_person_limit")]


T = TypeVar("T")


def as_of_date(text: str | None) -> dt.date:
    """The date ``--as-of`` names (today when it names none); a clear exit otherwise."""
    from aimsgraph.graph.questions.definitions import today  # start-up: not for --help
    from aimsgraph.ontology.values import parse_as_of  # start-up: --help needs no ontology

    if text is None:
        return today()
    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise fail(f"--as-of {exc}") from None


def load_settings() -> Settings:
    """The settings (imported here: pydantic-settings costs a quarter of a second, which
    ``--help`` and commands that read none should not pay)."""
    from pydantic import ValidationError  # start-up: --help needs no pydantic

    from aimsgraph.api.settings import Settings  # as above

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        raise fail(f"invalid setting: {problems}") from None


def check_params(threshold: int | None = None, limit: int | None = None) -> CheckParams:
    return load_settings().check_params(threshold, limit)


def queries_for(store: GraphStore, threshold: int | None = None,
             limit: int | None = None, as_recorded: str | None = None) -> Queries:
    """The query facade over ``store`` (imported here: commands that need none start faster)."""
    from aimsgraph.graph.queries import Queries  # start-up: --help needs no query layer

    return Queries(store, check_params(threshold, limit), as_recorded=as_recorded)


def fail(message: str, code: int = 1) -> typer.Exit:
    console = stderr_console()
    console.print(Text.assemble(("error:", "bold red"), " ", plain(message)), soft_wrap=True)
    return typer.Exit(code)


def reported_run(action: Callable[[], T], fmt: object = None) -> T:
    """Run ``action``, turning every project error into a message and exit code 1: on stderr
    for people, or (``fmt`` json) as JSON on stdout for scripts."""
    try:
        return action()
    except AimsgraphError as exc:
        if fmt in (Format.json, "json"):
            sys.stdout.write(to_json(error_json(exc)) + "\n")
            raise typer.Exit(1) from None
        raise reported(exc) from None


def error_json(exc: AimsgraphError) -> dict[str, Any]:
    if isinstance(exc, BundleError):
        return {"outcome": "rejected", "error": "bundle rejected, nothing was written",
                "total_errors": exc.total,
                "errors": [issue.to_json() for issue in exc.issues]}
    return {"outcome": "error", "error": str(exc)}


def reported(exc: AimsgraphError) -> typer.Exit:
    """The error on stderr; the exit to raise."""
    if isinstance(exc, BundleError):
        console = stderr_console()
        console.print(Text.assemble(("error:", "bold red"), " bundle rejected, nothing was "
                                    f"written ({exc.total} error{'s' if exc.total != 1 else ''}):"))
        for issue in exc.issues:
            print_plain(console, f"  {issue}")
        if exc.omitted:
            print_plain(console, f"  {exc.more()}")
        return typer.Exit(1)
    return fail(str(exc))


@contextmanager
def open_store() -> Iterator[GraphStore]:
    from aimsgraph.api.stores import store_from_settings  # start-up: --help opens no store

    store = store_from_settings(load_settings())
    store.open()
    try:
        yield store
    finally:
        store.close()


@contextmanager
def progress_bar(label: str, stages: tuple[str, ...] = ("reading", "validating", "planning",
                                                         "writing")
                 ) -> Iterator[Callable[[str], None] | None]:
    """Stage-by-stage progress on stderr when it is a terminal (and not --quiet); nothing
    otherwise."""
    if not shows_progress():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # start-up

    label = plain(label)
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(),
                  console=stderr_console(), transient=True) as bar:
        task = bar.add_task(label, total=len(stages))

        def step(stage: str) -> None:  # a stage, perhaps with its detail: "validating 9 rows"
            done = next((i for i, s in enumerate(stages) if stage.startswith(s)), 0)
            bar.update(task, completed=done, description=f"{label}: {stage}")

        yield step
