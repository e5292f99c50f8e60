"""What is written for people to read: ``report``, ``diff``, ``visualise`` and ``docs``."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimsgraph.api.cli.base import (
    AsOfOption,
    AsRecordedOption,
    app,
    as_of_date,
    fail,
    open_store,
    progress_bar,
    queries_for,
    reported_run,
    shows_progress,
)
from aimsgraph.api.output import (
    Format,
    emit,
    print_plain,
    stderr_console,
    to_json,
)

if TYPE_CHECKING:  # loaded by the commands that use it, not at start-up
    from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.kinds import (
    MOST_NEIGHBOURS,
    PAGE_KINDS,
    REPORT_FORMATS,
    REPORT_KINDS,
)


@app.command()
def report(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(REPORT_KINDS)}.")],
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="POINT", help="For review: the run id or date to look back to.")]
    = None,
    framework: Annotated[str | None, typer.Option(
        "--framework", metavar="ID", help="For coverage: another framework's coverage through "
        "its mappings to ISO/IEC 42001 (EU_AI_ACT, NIST_AI_RMF, ...; any case).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     metavar="table|json|csv|markdown|html|xlsx",
                                     help="Output format (xlsx needs --output).")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file.")] = None,
) -> None:
    """Audit reports: the Statement of Applicability, clause coverage, the gap summary, the
    internal audit programme, leadership accountability, the management review pack (review
    --since POINT)."""
    day = as_of_date(as_of)
    fmt = check_format(fmt, OUTPUT_FORMATS, output)

    def action() -> Any:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries, \
                progress_bar(f"report {kind}", ("reading the graph",)) as step:
            if step is not None:
                step("reading the graph")
            return queries.report(kind, day, since, framework)
    write_report(reported_run(action, fmt), fmt, output)


@app.command("diff")
def diff_command(
    start: Annotated[str, typer.Option("--from", metavar="POINT", help="A run id, or a date "
                                       "(the last successful run that ended by that day).")],
    end: Annotated[str | None, typer.Option("--to", metavar="POINT",
                                            help="Another point (default: now).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Evaluate both sides on this date (default: "
        "each point's own date).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json|csv|markdown|html",
                                     help="Output format.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file.")] = None,
) -> None:
    """What changed between two points: the data (net, with the run and source of each
    change) and the findings opened, closed or changed per check."""
    day = as_of_date(as_of) if as_of else None
    fmt = check_format(fmt, OUTPUT_FORMATS, output)

    def action() -> Any:
        with open_store() as store, queries_for(store) as queries:
            return queries.diff(start, end, day)
    write_report(reported_run(action, fmt), fmt, output)


#: What ``report`` and ``diff`` write: a table for people, or a report format.
OUTPUT_FORMATS = ("table", *REPORT_FORMATS)


#: Other names people write for a format.
FORMAT_ALIASES = {"md": "markdown", "htm": "html", "xls": "xlsx", "text": "table"}


def check_format(fmt: str, allowed: tuple[str, ...], output: Path | None) -> str:
    """The format (an alias such as ``md`` read as ``markdown``, any case) and the output
    file, checked before any work is done."""
    fmt = FORMAT_ALIASES.get(fmt.casefold(), fmt.casefold())
    if fmt not in allowed:
        raise fail(f"--format '{fmt}' is not one of: {', '.join(allowed)}")
    if fmt == "xlsx" and output is None:
        raise fail("--format xlsx writes a workbook: name it with --output FILE.xlsx")
    if output is not None:
        from aimsgraph.api.output_file import check_output  # start-up

        reported_run(lambda: check_output(output))
    return fmt


def write_report(built: Any, fmt: str, output: Path | None) -> None:
    """A report as tables on the terminal, or as JSON, CSV, Markdown, HTML or an xlsx
    workbook (to a file)."""
    if fmt == "table" and output is None:
        for section in built.sections:
            emit(Format.table, None, section.columns, section.rows,
                 f"{built.title} - {section.title} ({built.header})")
        return
    from aimsgraph.api.output_file import write_output  # start-up: each command loads what it uses

    if fmt == "xlsx" and output is not None:
        from aimsgraph.api.workbook import to_xlsx  # openpyxl loads only for a workbook

        reported_run(lambda: write_output(output, to_xlsx(built)))
        print_plain(stderr_console(), f"wrote {output}")
        return
    from aimsgraph.api.render import render  # start-up: each command loads what it uses

    text = to_json(built.data) + "\n" if fmt == "json" else render(
        built, "markdown" if fmt == "table" else fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        reported_run(lambda: write_output(output, text))
        print_plain(stderr_console(), f"wrote {output}")


@app.command()
def visualise(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(PAGE_KINDS)}.")],
    node: Annotated[str | None, typer.Argument(metavar="ID", help="The node (for node, "
                                               "system, trace and impact pages), or the checks "
                                               "to show on a gaps page (CHECK_ID[,CHECK_ID]).")]
    = None,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The HTML file to write.")]
    = Path("aimsgraph.html"),
    depth: Annotated[int, typer.Option(min=1, max=4, metavar="1-4",
                                       help="Steps out, for node pages.")] = 1,
    label: Annotated[list[str] | None, typer.Option(
        "--label", metavar="LABEL", help="Only these labels around the node; on a gaps page, "
        "only findings about these labels (repeatable).")]
    = None,
    max_neighbours: Annotated[int, typer.Option(
        "--max-neighbours", min=1, max=5000, metavar="N",
        help="On node pages, how many of each node's neighbours to follow (the first by label "
             "and id); the page says how many more a node has.")] = MOST_NEIGHBOURS,
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
) -> None:
    """Write an interactive, self-contained HTML page of the graph."""
    from aimsgraph.api.output_file import check_output, write_output  # start-up
    from aimsgraph.visualise import build_page, render_page  # pyvis loads only for a page

    day = as_of_date(as_of)
    reported_run(lambda: check_output(output))
    started = time.monotonic()

    def progress(stage: str) -> None:
        if shows_progress():
            elapsed = time.monotonic() - started
            print_plain(stderr_console(), f"{output.name}: {stage} ({elapsed:.1f} s)")

    def action() -> str:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            page = build_page(queries, kind, node, day, depth, label or (), progress,
                              max_neighbours)
        return render_page(page)
    html_text = reported_run(action)
    reported_run(lambda: write_output(output, html_text))
    sys.stdout.write(f"{output.resolve()}\n")


#: What ``export`` writes: the graph for Gephi and yEd, the crosswalks as SSSOM, the results
#: and the catalogues as OSCAL.
EXPORTS = ("graphml", "gexf", "mappings", "oscal-assessment-results", "oscal-catalog")


@app.command()
def export(
    what: Annotated[str, typer.Argument(metavar="WHAT", help=f"One of: {', '.join(EXPORTS)}.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The file to write.")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="sssom", help="For mappings: sssom (the default).")] = None,
    around: Annotated[str | None, typer.Option(
        "--around", metavar="ID", help="Only this node's neighbourhood (Label:id or an id).")]
    = None,
    depth: Annotated[int, typer.Option(min=1, max=4, metavar="1-4",
                                       help="Steps out from --around.")] = 1,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD",
        help="Leave out relationships not in force that day (default: keep all).")] = None,
    framework: Annotated[str | None, typer.Option(
        "--framework", metavar="ID", help="For oscal-catalog: the framework (default "
        "ISO42001); for oscal-assessment-results: only this framework's coverage (default: "
        "ISO/IEC 42001 and every framework mapped to it).")] = None,
    as_recorded: AsRecordedOption = None,
) -> None:
    """Write the graph (or one node's neighbourhood) as GraphML or GEXF, for Gephi and yEd
    (nodes named Label:id with their label and properties, edges with their type); every
    crosswalk as an SSSOM mapping set (mappings --format sssom); the gap findings and the
    frameworks' coverage as OSCAL assessment results, or a framework as an OSCAL catalog."""
    from aimsgraph.api.output_file import check_output, write_output  # start-up

    if what not in EXPORTS:
        reported_run(lambda: _refuse(f"unknown export '{what}'; exports: {', '.join(EXPORTS)}"))
    if what == "mappings" and fmt not in (None, "sssom"):
        reported_run(lambda: _refuse(f"mappings are written as sssom, not '{fmt}'"))
    day = as_of_date(as_of) if as_of is not None else None
    reported_run(lambda: check_output(output))

    def action() -> bytes:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            if what == "mappings":
                from aimsgraph.graph.reports.mapping_set import mapping_set_tsv  # start-up

                return mapping_set_tsv(queries.semantics(day)).encode("utf-8")
            if what.startswith("oscal-"):
                return _oscal(queries, what, framework, day)
            from aimsgraph.graph.analysis import graph_file, to_networkx  # networkx: only here

            return graph_file(to_networkx(queries, around, depth, day), what)
    data = reported_run(action)
    reported_run(lambda: write_output(output, data))
    sys.stdout.write(f"{output.resolve()}\n")


def _oscal(queries: Queries, what: str, framework: str | None, day: dt.date | None) -> bytes:
    """An OSCAL document as JSON (on the date, today by default)."""
    from aimsgraph.api.output import to_json  # start-up
    from aimsgraph.graph.reports.oscal import assessment_results, catalog  # as above

    sem = queries.semantics(day or as_of_date(None))
    if what == "oscal-catalog":
        document = catalog(sem, framework)
    else:
        document = assessment_results(sem, queries.gaps(sem.as_of),
                                      [framework] if framework else None)
    return (to_json(document) + "\n").encode("utf-8")


def _refuse(message: str) -> None:
    from aimsgraph.ontology import NotFoundError  # start-up

    raise NotFoundError(message)


@app.command()
def docs(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                         help="The folder to write to.")]
    = Path("docs"),
) -> None:
    """Write the reference pages (ontology, bundle files, gap checks) from the declarations."""
    from aimsgraph.api.docs import write_docs  # start-up: each command loads what it uses
    from aimsgraph.api.output_file import check_output_folder  # as above

    reported_run(lambda: check_output_folder(output))
    for path in reported_run(lambda: write_docs(output)):
        print_plain(stderr_console(), f"wrote {path}")
