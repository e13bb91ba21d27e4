"""What keeps the review app safe: the anti-forgery token of every form, the sign-in of a
non-loopback server, the response headers, and links that are only ever http(s)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, redirect, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

CSRF_FIELD = "csrf"
# The page may load only its own script and style, and nothing may frame it.
CONTENT_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_OPEN = frozenset({"static", "login"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def csrf_token() -> str:
    """This session's anti-forgery token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def csrf_field() -> Markup:
    """The hidden input every form carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token())


def safe_link(url: object) -> str | None:
    """The URL when it is an absolute http(s) link, else None (rendered as text, never a link:
    no ``javascript:``, ``data:`` or relative tricks)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    if any(ord(char) < 32 or char.isspace() for char in text):
        return None
    return text


def install(app: Flask, *, token: str | None) -> None:
    """Check every request (sign-in, anti-forgery token) and harden every response."""

    @app.before_request
    def _guard() -> BaseResponse | None:
        if token is None and not is_loopback(_hostname(request.host)):
            # served on loopback, asked for by another name: a DNS-rebinding page, refused
            abort(400, description="This page answers only to 127.0.0.1 and localhost.")
        if token is not None and not session.get("signed_in") and request.endpoint not in _OPEN:
            if request.method == "POST":
                abort(403)
            return redirect(url_for("login", next=request.full_path))
        if request.method == "POST":
            sent = request.form.get(CSRF_FIELD, "")
            expected = session.get(CSRF_FIELD)
            if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
                abort(400, description="The form's anti-forgery token is missing or wrong: "
                                       "reload the page and try again.")
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals.update(csrf_field=csrf_field)
    app.jinja_env.filters["safe_link"] = safe_link


def _hostname(host: str) -> str:
    """The name in a Host header, without its port (``[::1]:8765`` -> ``::1``)."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def safe_next(target: str) -> str:
    """Where to go after sign-in: a path on this server, never another site."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return "/"


def check_token(sent: str, token: str) -> bool:
    """Whether the token typed at sign-in is the server's (in constant time)."""
    return hmac.compare_digest(sent.encode(), token.encode())
