"""Language detection and too-short rejections on WordPress posts from sites in many languages.

Usage::

    python benchmarks/languages.py [DIR | --posts DIR] [--limit N]

``DIR`` holds REST API post objects and an ``index.jsonl`` naming each file's site (``repo``),
its language as set by hand (``lang``) and its text length (``text_chars``), as
``../shared/data/wp-posts-2/`` does. Each post is read by :class:`FileSource` and extracted with
the default options (``language = "auto"``). Per site it prints: posts, how many were extracted,
the share whose detected language is the site's (over extracted posts), the languages found
instead, and the rejections by reason: ``too-short`` ones with at least
:data:`SUBSTANTIAL_CHARS` characters of text are counted apart (they should be none). Exits 0,
saying why, when the directory is absent.

``--fast-path [PATH ...]`` measures instead how often ``detect_language`` answers without the
model (plainly English, Spanish or French words; Japanese, Russian or a script of one language's
own) and whether that answer ever differs from the model's: over the language samples of every
post of ``DIR`` and of each further ``PATH``, a folder of posts or a JSON Lines file (its rows'
``article``, ``text`` or ``source`` field, as ``../shared/data`` has them; rows with none are
skipped)::

    python benchmarks/languages.py ../shared/data/wp-posts --fast-path ../shared/data/wp-posts-2 \
        ../shared/data/summarization-ml/*.jsonl ../shared/data/stories/allsides_2021_dev.jsonl \
        ../shared/data/summarization/realsumm_cnndm.jsonl ../shared/data/faithfulness/qags_cnndm.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from redraft.config import ExtractOptions
from redraft.errors import RedraftError, Rejected
from redraft.extract import LANGUAGE_SAMPLE_CHARS, extract, language_sample
from redraft.records import Entry
from redraft.sources.files import FileSource
from redraft.text import lang

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# A post with this much plain text is an article in any script (about 70 words of a spaced
# language, a few paragraphs of Chinese): rejecting it as too short is an error.
SUBSTANTIAL_CHARS = 400


def _site_rows(directory: Path, limit: int | None) -> dict[str, list[dict[str, object]]]:
    sites: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in (directory / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if limit is None or len(sites[row["repo"]]) < limit:
            sites[row["repo"]].append(row)
    return sites


def _measure(directory: Path, rows: list[dict[str, object]]) -> dict[str, object]:
    found: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    substantial_short = 0
    for row in rows:
        try:
            for entry in FileSource([str(directory / str(row["file"]))]).entries():
                found[extract(entry, ExtractOptions()).language] += 1  # type: ignore[arg-type]
        except Rejected as error:
            reasons[error.reason] += 1
            chars = row.get("text_chars")
            if error.reason == "too-short" and isinstance(chars, int) and chars >= SUBSTANTIAL_CHARS:
                substantial_short += 1
        except RedraftError as error:
            reasons[type(error).__name__] += 1
    return {"found": found, "reasons": reasons, "substantial_short": substantial_short}


def _post_samples(directory: Path) -> list[str]:
    """The language sample of every post of ``directory`` that extracts."""
    samples = []
    for path in sorted(directory.glob("*.json")):
        try:
            for entry in FileSource([str(path)]).entries():
                if isinstance(entry, Entry):
                    article = extract(entry, ExtractOptions(language="en"))
                    samples.append(language_sample(article.blocks))
        except RedraftError:
            continue
    return samples


def _file_samples(path: Path) -> list[str]:
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = next((row[field] for field in ("article", "text", "source") if field in row), None)
        if text is not None:
            samples.append(str(text)[:LANGUAGE_SAMPLE_CHARS])
    return samples


def fast_path(directory: Path, paths: list[Path]) -> int:
    """How often the answer without the model is given, and whether it ever differs."""
    samples: list[str] = []
    for path in [directory, *paths]:
        if path.is_dir():
            samples += _post_samples(path)
        elif path.is_file():
            samples += _file_samples(path)
    if not samples:
        print("no texts to measure")
        return 0
    texts: Counter[str] = Counter()
    fast: Counter[str] = Counter()
    differ = 0
    for sample in samples:
        model = lang.model_language(sample)
        texts[model] += 1
        plain = lang._plain_language(sample)
        if plain is not None:
            fast[plain] += 1
            if plain != model:
                differ += 1
                print(f"differs: fast {plain}, model {model}: {sample[:100]!r}")
    print(f"{len(samples)} texts; answered without the model: {sum(fast.values())}; "
          f"differing from the model: {differ}")
    for code, count in texts.most_common():
        print(f"  {code:4} {count:5} texts, {fast[code]:5} without the model")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, nargs="?", help="same as --posts")
    parser.add_argument("--posts", type=Path, default=DATA / "wp-posts-2")
    parser.add_argument("--limit", type=int, default=None, help="posts per site")
    parser.add_argument("--fast-path", type=Path, nargs="*", metavar="PATH", default=None,
                        help="measure detect_language's answers without the model instead, over "
                             "DIR and these folders of posts or JSON Lines files")
    args = parser.parse_args(argv)
    args.posts = args.directory or args.posts
    if args.fast_path is not None:
        return fast_path(args.posts, list(args.fast_path))
    if not (args.posts / "index.jsonl").is_file():
        print(f"{args.posts}/index.jsonl not found: nothing to measure")
        return 0
    total = right = extracted = substantial = 0
    print(f"{'site':45} {'lang':4} {'posts':>5} {'extr':>5} {'right':>6}  others; rejections")
    for site, rows in sorted(_site_rows(args.posts, args.limit).items()):
        language = str(rows[0]["lang"])
        result = _measure(args.posts, rows)
        found: Counter[str] = result["found"]  # type: ignore[assignment]
        reasons: Counter[str] = result["reasons"]  # type: ignore[assignment]
        count = sum(found.values())
        share = found[language] / count if count else 0.0
        others = ", ".join(f"{code} {n}" for code, n in found.most_common() if code != language)
        rejected = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
        print(f"{site:45} {language:4} {len(rows):5} {count:5} {share:6.1%}  {others or '-'}; "
              f"{rejected or '-'}; too-short with >= {SUBSTANTIAL_CHARS} chars: "
              f"{result['substantial_short']}")
        total += len(rows)
        extracted += count
        right += found[language]
        substantial += int(result["substantial_short"])  # type: ignore[call-overload]
    print(f"all: {total} posts, {extracted} extracted, language right {right / max(extracted, 1):.1%}, "
          f"too-short with >= {SUBSTANTIAL_CHARS} chars of text: {substantial}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
