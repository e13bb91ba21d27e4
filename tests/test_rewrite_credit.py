"""``rewrite --title --url --published``: a plain-text article carries its credit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from redraft.cli import main
from tests.news_site import ARTICLES


def test_text_file_is_credited_from_the_command_line(tmp_path: Path) -> None:
    article = ARTICLES[2]
    source = tmp_path / "fire.txt"
    source.write_text("\n\n".join(article["paragraphs"]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "rewrite", str(source), "--db", str(tmp_path / "s.db"), "--out", str(out),
        "--title", article["title"], "--url", "https://eastwick.example/news/market-fire",
        "--published", "2026-11-24"])
    assert result.exit_code == 0, result.output
    written = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert (f"Source: {article['title']} https://eastwick.example/news/market-fire "
            "(2026-11-24)") in written


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("\n\n".join(ARTICLES[0]["paragraphs"]), encoding="utf-8")
    result = CliRunner().invoke(main, ["rewrite", str(source), "--db", str(tmp_path / "s.db"),
                                       "--published", "last tuesday"])
    assert result.exit_code == 2
    assert "last tuesday" in result.output


def test_front_matter_credits_a_markdown_file(tmp_path: Path) -> None:
    article = ARTICLES[3]
    source = tmp_path / "tram.md"
    source.write_text(
        f"---\ntitle: \"{article['title']}\"\nurl: https://eastwick.example/news/tram\n"
        "date: 2026-11-26\nauthor: Tom Okafor\n---\n\n" + "\n\n".join(article["paragraphs"]),
        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["rewrite", str(source), "--db", str(tmp_path / "s.db"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert (f"Source: {article['title']} https://eastwick.example/news/tram (2026-11-26)"
            in written)
    assert "---" not in written.split("Source:")[0]
