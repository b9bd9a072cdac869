"""What jobs/notebooks checks on the analysts' notebooks, beyond each notebook's own check section.

    check_notebooks.py committed NOTEBOOK...      committed without outputs, opening with what they answer
    check_notebooks.py executed NOTEBOOK...       executed copies: checks ran and passed, charts present,
                                                  no error, no stderr, no Java stack trace, no end-user id
    check_notebooks.py bad-input WORK NOTEBOOK... a warehouse without the tables (every notebook) and a
                                                  month without data (the first): one line in the first
                                                  code cell, nothing else
    check_notebooks.py screenshot PNG             a browser screenshot that is not blank

Exits non-zero with one line per problem.
"""
from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

import nbformat

HOME = Path(__file__).resolve().parent.parent.parent
JAVA_TRACE = re.compile(r"^\s*at [\w$.]+\(.*\)\s*$|Exception in thread|^Caused by: ", re.MULTILINE)


def fail(problems: list[str]) -> None:
    if problems:
        for problem in problems:
            print(f"check_notebooks: {problem}", file=sys.stderr)
        sys.exit(1)


def output_texts(notebook) -> list[tuple[int, str, str]]:
    """(cell index, kind, text) of every output: streams, text/plain|html|markdown, error tracebacks."""
    texts = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            kind = output.output_type
            if kind == "stream":
                texts.append((index, f"stream {output.name}", output.text))
            elif kind == "error":
                texts.append((index, "error", "\n".join(output.traceback)))
            else:
                for mime in ("text/plain", "text/html", "text/markdown"):
                    if mime in output.get("data", {}):
                        texts.append((index, mime, output.data[mime]))
    return texts


def clear_end_user_ids() -> re.Pattern:
    """The sample's end-user ids (source CSVs and the demo's late c-zed) and the bulk ids' shapes."""
    with open(HOME / "data-samples" / "source" / "messages.csv", newline="", encoding="utf-8") as f:
        ids = {row["consumer_id"].strip() for row in csv.DictReader(f) if row["consumer_id"].strip()}
    ids.add("c-zed")
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ids))) + r"|c-[ku]\d{4})(?![\w-])")


def committed(paths: list[str]) -> None:
    problems = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
                problems.append(f"{path}: cell {index} is committed with outputs (clear them: outputs can hold data)")
        first = notebook.cells[0] if notebook.cells else None
        if first is None or first.cell_type != "markdown" or "What it answers" not in first.source \
                or "Tables read" not in first.source:
            problems.append(f"{path}: the first cell must say what the notebook answers and which tables it reads")
    fail(problems)
    print(f"check_notebooks: {len(paths)} committed notebooks are clean")


def executed(paths: list[str]) -> None:
    problems = []
    ids = clear_end_user_ids()
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        texts = output_texts(notebook)
        if not any(kind == "stream stdout" and "hand-worked checks passed" in text for _, kind, text in texts):
            problems.append(f"{path}: its check section did not pass against the demo warehouse")
        images = sum(1 for cell in notebook.cells for o in cell.get("outputs", []) if "image/png" in o.get("data", {}))
        if images == 0:
            problems.append(f"{path}: no chart")
        for index, kind, text in texts:
            if kind == "error":
                problems.append(f"{path}: cell {index} failed")
            if kind == "stream stderr":
                problems.append(f"{path}: cell {index} wrote to stderr: {text.strip().splitlines()[0][:200]}")
            if JAVA_TRACE.search(text):
                problems.append(f"{path}: cell {index} shows a Java stack trace")
            found = ids.search(text)
            if found:
                problems.append(f"{path}: cell {index} shows the end-user id {found.group(0)} in clear")
        print(f"check_notebooks: {Path(path).name}: {images} charts, {len(texts)} outputs checked")
    fail(problems)


def first_cell_outputs(path: Path, environment: dict[str, str]):
    """The outputs of the notebook's first code cell, run alone in a fresh kernel with these variables."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    first = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    notebook.cells = notebook.cells[:first + 1]
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook.cells[first].outputs


def one_clear_line(path: Path, environment: dict[str, str], expected: str) -> list[str]:
    outputs = first_cell_outputs(path, environment)
    errors = [o for o in outputs if o.output_type == "error"]
    others = [o for o in outputs if o.output_type != "error"]
    what = f"{path.name} with {environment}"
    if len(errors) != 1:
        return [f"{what}: expected one error in the first cell, found {len(errors)}"]
    lines = "\n".join(errors[0].traceback).splitlines()
    if len(lines) != 1 or expected not in lines[0]:
        return [f"{what}: expected one line containing {expected!r}, found {len(lines)} lines: {lines[:3]}"]
    if others:
        return [f"{what}: the first cell printed more than the error: {[o.output_type for o in others]}"]
    print(f"check_notebooks: {path.name}, {', '.join(f'{k}={v}' for k, v in environment.items())}:")
    print(f"    {lines[0]}")
    return []


def bad_input(work: str, paths: list[str]) -> None:
    empty = Path(work) / "empty-warehouse"
    empty.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in map(Path, paths):
        problems += one_clear_line(path, {"BILLING_WAREHOUSE": str(empty)}, "is not a billing warehouse")
    first = Path(paths[0])
    problems += one_clear_line(first, {"BILLING_WAREHOUSE": str(Path(work) / "no-such-folder")}, "no warehouse at")
    problems += one_clear_line(first, {"BILLING_MONTH": "2026-12"}, "no invoice lines for month 2026-12")
    fail(problems)


def screenshot(png: str) -> None:
    import matplotlib.image
    import numpy as np

    pixels = matplotlib.image.imread(png)
    rgb = (pixels[:, :, :3] * 255).round().astype(np.uint8)
    colours = len(np.unique(rgb.reshape(-1, 3), axis=0))
    inked = float((rgb < 245).any(axis=2).mean())
    size = os.path.getsize(png)
    print(f"check_notebooks: screenshot {png}: {rgb.shape[1]}x{rgb.shape[0]} px, {size / 1024:.0f} KiB, "
          f"{colours} distinct colours, {inked:.0%} of the pixels not white")
    fail([f"{png} looks blank: {colours} colours, {inked:.1%} not white"] if colours < 64 or inked < 0.05 else [])


if __name__ == "__main__":
    command, arguments = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 2 else (None, [])
    if command == "committed":
        committed(arguments)
    elif command == "executed":
        executed(arguments)
    elif command == "bad-input":
        bad_input(arguments[0], arguments[1:])
    elif command == "screenshot" and len(arguments) == 1:
        screenshot(arguments[0])
    else:
        sys.exit(__doc__)
