"""``redraft verify``: check a draft against its source, or a file of pairs."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

import click

from redraft.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    budget_options,
    echo,
    fail,
    load_settings,
    setup_logging,
    stderr,
)
from redraft.errors import InputError, Rejected
from redraft.extract import extract
from redraft.records import Article, Verdict, valid_text
from redraft.sinks.files import draft_record
from redraft.sources.files import INPUT_FORMATS, FileSource, decode
from redraft.verify import draft_from_text, verify, verify_pairs


@click.command("verify")
@click.option("--source", "source_path", help="The source: any input `redraft rewrite` takes.")
@click.option("--draft", "draft_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The draft: a text file, one paragraph a line or blank-line separated.")
@click.option("--pairs", "pairs_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Batch mode: JSON Lines of {id, source, summary}; writes one "
                   "{id, score, passed, problems} line per pair.")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto",
              help="Force the source's format.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@budget_options
@click.option("--language", help="Language of the source (default: detected).")
@click.option("-v", "--verbose", count=True, help="More log output.")
def verify_command(
    source_path: str | None, draft_path: Path | None, pairs_path: str | None,
    input_format: str, as_json: bool, **params: Any,
) -> None:
    """Check that every sentence of a draft is supported by its source.

    Reports repeated paragraphs or sentences, unsupported sentences, changed numbers, names
    and quotes, a missing credit and (with a budget option) a wrong length. Exits 0 when the
    draft passes, 1 when it fails, 2 on bad input.
    """
    setup_logging(params["verbose"])
    if pairs_path is not None:
        if source_path or draft_path:
            fail("--pairs works alone; drop --source and --draft")
        sys.exit(_pairs(pairs_path))
    if not source_path or not draft_path:
        fail("give --source and --draft (or --pairs FILE.jsonl)")
    settings = load_settings(params)
    chosen = any(params.get(k) for k in ("ratio", "words", "sentences"))
    article = _article(source_path, input_format, settings.extract)
    try:
        text = draft_path.read_bytes()
    except OSError as exc:
        fail(f"cannot read the draft {draft_path}: {exc.strerror}")
    decoded = decode(text, label=str(draft_path))
    if isinstance(decoded, Rejected):
        fail(str(decoded))
    draft = draft_from_text(article, decoded, budget=settings.budget if chosen else None)
    verdict = verify(draft)
    if as_json:
        record = draft_record(verdict)
        echo(json.dumps({"source": source_path, "draft": str(draft_path),
                               **record["verdict"]}, ensure_ascii=False, indent=2))
    else:
        _print_verdict(verdict)
    sys.exit(EXIT_OK if verdict.passed else EXIT_INCOMPLETE)


def _article(source_path: str, input_format: str, options: Any) -> Article:
    source = FileSource([source_path], input_format=input_format,  # type: ignore[arg-type]
                        stdin=sys.stdin.buffer)
    try:
        items = list(source.entries())
    except InputError as exc:
        fail(str(exc))
    if len(items) != 1:
        fail(f"{source_path}: the source must hold exactly one article, found {len(items)}")
    (item,) = items
    if not hasattr(item, "html"):
        fail(f"{source_path}: {item}")
    try:
        return extract(item, options)  # type: ignore[arg-type]
    except Rejected as exc:
        fail(f"{source_path}: {exc.detail}")


def _print_verdict(verdict: Verdict) -> None:
    status = "PASSED" if verdict.passed else "FAILED"
    echo(f"{status}: score {verdict.score:.2f}, {len(verdict.problems)} problem(s)")
    for n, problem in enumerate(verdict.problems, start=1):
        echo(f"\n{n}. [{problem.kind}] {problem.sentence}")
        if problem.detail:
            echo(f"   why: {problem.detail}")
        if problem.evidence:
            # A repetition's evidence is the draft's own earlier text, not the source's.
            label = "earlier" if problem.kind == "repeated" else "source"
            echo(f"   {label}: {problem.evidence}")


def _pairs(path: str) -> int:
    """Verify each line of a JSON Lines file of pairs, streaming; return the exit code.

    A line that cannot be read (not UTF-8, not JSON, the wrong shape) gets an ``error`` line
    naming it, and the rest go on."""
    try:
        stream: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    started, count, bad = time.perf_counter(), 0, 0
    with stream:
        for number, data in enumerate(stream, start=1):
            if not data.strip():
                continue
            record = _pair_record(data, f"{path}:{number}")
            echo(json.dumps(record, ensure_ascii=False))
            count += 1
            bad += "error" in record
    elapsed = time.perf_counter() - started
    rate = count / elapsed if elapsed else 0.0
    stderr.print(f"verified {count} pairs in {elapsed:.1f} s ({rate:.0f} pairs/s)"
                 + (f"; {bad} unreadable" if bad else ""), markup=False)
    return EXIT_OK if not bad else EXIT_INCOMPLETE


def _pair_record(data: bytes, where: str) -> dict[str, Any]:
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"id": where, "error": f"not UTF-8 (byte 0x{data[exc.start]:02x} at column "
                                      f"{exc.start + 1}): save the file as UTF-8"}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": where, "error": f"invalid JSON: {exc.msg}"}
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        return {"id": where, "error": f"invalid JSON: {str(exc).split(';')[0]}"}
    if not isinstance(item, dict) or not isinstance(item.get("source"), str) \
            or not isinstance(item.get("summary"), str):
        return {"id": _pair_id(item.get("id"), where) if isinstance(item, dict) else where,
                "error": "expected an object with string fields source and summary"}
    pair = {"id": _pair_id(item.get("id"), where), "source": valid_text(item["source"]),
            "summary": valid_text(item["summary"])}
    return next(iter(verify_pairs([pair])))


def _pair_id(value: Any, where: str) -> Any:
    """A pair's id as given when it is a string or a plain number, else where it was read."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return where
