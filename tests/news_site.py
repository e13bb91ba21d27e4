"""A non-WordPress news site built from tests/fixtures/site/articles.json: whole article pages
with a theme's boilerplate, an RSS feed of excerpts, Atom and JSON feeds, a sitemap, robots.txt
and a home page that names its feeds."""

from __future__ import annotations

import html
import json
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from tests.web_site import WebSite

ARTICLES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "site" / "articles.json").read_text(encoding="utf-8"))
PRIVATE = "/private/staff-memo.html"  # linked from the feed, disallowed by robots.txt

_THEME_TOP = """<header class="site-header"><nav class="main-menu"><ul><li><a href="/">Home</a></li>
<li><a href="/local/">Local</a></li><li><a href="/transport/">Transport</a></li>
<li><a href="/about/">About us</a></li></ul></nav></header>"""
_THEME_SHARE = """<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share by
email</a></div>"""
_THEME_BOTTOM = """<aside class="related-posts"><h3>Related</h3><ul>{links}</ul></aside>
<div class="newsletter-signup"><form><p>Get the Eastwick Post in your inbox every morning.</p>
<input type="email"><button>Sign up</button></form></div>
<footer class="site-footer"><p>© 2026 Eastwick Post. All rights reserved. Cookie settings.</p>
</footer>"""


def page(article: dict[str, Any], base: str) -> str:
    url = f"{base}/news/{article['slug']}.html"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"])
    links = "".join(f'<li><a href="/news/{a["slug"]}.html">{html.escape(a["title"])}</a></li>'
                    for a in ARTICLES if a is not article)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(article['title'])} | Eastwick Post</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(article['title'])}">
<meta property="og:image" content="{base}/img/{article['slug']}.jpg">
<meta property="article:published_time" content="{article['date']}">
<meta property="article:section" content="{article['section']}">
<meta name="author" content="{article['author']}">
</head><body>{_THEME_TOP}<main><article><h1>{html.escape(article['title'])}</h1>
<p class="byline">By {article['author']}</p>{_THEME_SHARE}
<div class="entry-content">{body}</div></article></main>
{_THEME_BOTTOM.format(links=links)}</body></html>"""


def rss(base: str) -> str:
    items = []
    for a in [*ARTICLES, {"slug": "", "title": "Staff memo", "date": ARTICLES[0]["date"],
                          "author": "", "section": "", "paragraphs": ["Internal."]}]:
        link = f"{base}{PRIVATE}" if not a["slug"] else f"{base}/news/{a['slug']}.html"
        when = format_datetime(datetime.fromisoformat(a["date"]))
        excerpt = html.escape(a["paragraphs"][0][:120] + " […]")
        items.append(f"<item><title>{html.escape(a['title'])}</title><link>{link}</link>"
                     f"<guid>{link}</guid><pubDate>{when}</pubDate>"
                     f"<category>{a['section']}</category>"
                     f"<description>{excerpt}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Eastwick Post</title><link>{base}/</link>"
            + "".join(items) + "</channel></rss>")


def sitemap(base: str) -> str:
    urls = "".join(f"<url><loc>{base}/news/{a['slug']}.html</loc><lastmod>{a['date']}</lastmod>"
                   "</url>" for a in ARTICLES)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>")


def home(base: str) -> str:
    links = "".join(f'<li><a href="/news/{a["slug"]}.html">{html.escape(a["title"])}</a></li>'
                    for a in ARTICLES)
    return ('<!DOCTYPE html><html><head><title>Eastwick Post</title>'
            '<link rel="alternate" type="application/rss+xml" title="Eastwick Post" '
            f'href="{base}/feed.xml"></head><body>{_THEME_TOP}<ul>{links}</ul></body></html>')


def build(site: WebSite) -> WebSite:
    """Fill ``site`` (already serving, so its base URL is known) with the news site."""
    base = site.base
    html_type = "text/html; charset=utf-8"
    for article in ARTICLES:
        site.files[f"/news/{article['slug']}.html"] = (html_type, page(article, base).encode())
    site.files[PRIVATE] = (html_type, b"<html><body><p>Internal memo.</p></body></html>")
    site.files["/feed.xml"] = ("application/rss+xml", rss(base).encode())
    site.files["/sitemap.xml"] = ("application/xml", sitemap(base).encode())
    site.files["/"] = (html_type, home(base).encode())
    site.files["/robots.txt"] = ("text/plain", (
        f"User-agent: *\nDisallow: /private/\nAllow: /news/*.html\n\nSitemap: {base}/sitemap.xml\n"
    ).encode())
    return site
