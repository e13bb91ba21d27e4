"""The review app: the queue, a draft's page, and the forms that edit, decide and publish.

Each view opens the store, calls the library (:mod:`redraft.pipeline.review`,
:mod:`redraft.pipeline.desk`) and renders a template; no view holds policy or SQL.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from flask import Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from redraft.errors import RedraftError
from redraft.pipeline.desk import DESK_STATES, DeskState, decide, find_draft
from redraft.pipeline.review import (
    QUEUE_ORDERS,
    QueueFilter,
    QueueOrder,
    Verdicts,
    edit,
    evidence_map,
    matching,
    queue,
    story_entries,
)
from redraft.sinks.credit import credit_pieces
from redraft.store import Store
from redraft.stories.credit import outlet
from redraft.text import words_in
from redraft.web import security
from redraft.web.publishing import Published, Target, publish_approved

PACKAGE = Path(__file__).resolve().parent
OUTCOME_LABELS = {"create": "created", "update": "updated", "unchanged": "unchanged",
                  "keep": "kept", "hold": "held back", "fail": "failed"}
OUTLET_CHOICES = ("2", "3", "5")  # the queue's "covered by at least N outlets" filter


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """What the app needs: the database, who edits, the sign-in token (None on loopback), and
    the WordPress target (None: publishing is off)."""

    db: Path
    who: str
    token: str | None = None
    target: Target | None = None


def create_app(config: ReviewConfig) -> Flask:
    """The review app for ``config``."""
    app = Flask("redraft.web", root_path=str(PACKAGE), template_folder="templates",
                static_folder="static")
    app.config.update(SECRET_KEY=secrets.token_bytes(32), SESSION_COOKIE_SAMESITE="Strict",
                      SESSION_COOKIE_HTTPONLY=True, MAX_CONTENT_LENGTH=1_000_000)
    security.install(app, token=config.token)
    app.jinja_env.globals["labels"] = OUTCOME_LABELS
    app.jinja_env.filters["credit_pieces"] = credit_pieces
    app.jinja_env.filters["outlet"] = outlet
    app.extensions["redraft"] = config
    _routes(app)
    return app


def _config() -> ReviewConfig:
    config: ReviewConfig = current_app.extensions["redraft"]
    return config


def _store() -> Store:
    config = _config()
    if not config.db.is_file():
        abort(500, description=f"no database at {config.db}")
    return Store.open(config.db)


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _routes(app: Flask) -> None:
    app.add_url_rule("/", view_func=index, methods=["GET"])
    app.add_url_rule("/draft", view_func=draft, methods=["GET"])
    app.add_url_rule("/draft/edit", view_func=edit_draft, methods=["POST"])
    app.add_url_rule("/draft/decide", view_func=decide_draft, methods=["POST"])
    app.add_url_rule("/draft/publish", view_func=publish_draft, methods=["POST"])
    app.add_url_rule("/publish", view_func=publish_all, methods=["POST"])
    app.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    app.register_error_handler(HTTPException, failed)
    app.register_error_handler(RedraftError, broken)


def index() -> str:
    args = request.args
    filters = QueueFilter(
        search=args.get("q", "")[:200],
        verdict=cast("Verdicts | None", _choice(args.get("verdict"), ("passed", "failed"))),
        state=cast("DeskState | None", _choice(args.get("state"), DESK_STATES)),
        source=args.get("source") or None,
        outlets=int(args["outlets"]) if args.get("outlets") in OUTLET_CHOICES else None,
        order=cast("QueueOrder", _choice(args.get("sort"), QUEUE_ORDERS) or "newest"),
    )
    with _store() as store:
        everything = queue(store)
    sources = sorted({item.row.source for item in everything})
    items = matching(everything, filters)
    return render_template("queue.html", items=items, filters=filters, states=DESK_STATES,
                           sources=sources, outlet_choices=OUTLET_CHOICES,
                           publishing=_config().target is not None,
                           outcome=session.pop("outcome", None))


def draft() -> str:
    key = request.args.get("key", "")
    with _store() as store:
        try:
            item = find_draft(store, key)
        except RedraftError as exc:
            abort(404, description=str(exc))
        audit = store.audit(key)
        story = story_entries(store, key)
    verdict = item.stored.verdict
    outlets = len({outlet(e) for e in (verdict.draft.article.entry, *story)})
    return render_template("draft.html", item=item, verdict=verdict, story=story, outlets=outlets,
                           words=words_in(verdict.draft.paragraphs),
                           evidence=evidence_map(verdict), audit=audit, who=_config().who,
                           publishing=_config().target is not None,
                           outcome=session.pop("outcome", None))


def edit_draft() -> BaseResponse:
    key = request.form.get("key", "")
    with _store() as store:
        try:
            item = edit(store, key, request.form.get("text", ""), who=_config().who)
        except RedraftError as exc:
            flash(str(exc), "error")
            return _back(key)
    verdict = item.stored.verdict
    kinds = ", ".join(dict.fromkeys(p.kind for p in verdict.problems))
    flash("Saved and verified again: " + ("passed" if verdict.passed else f"failed ({kinds})"),
          "ok" if verdict.passed else "error")
    return _back(key)


def decide_draft() -> BaseResponse:
    key = request.form.get("key", "")
    decision = request.form.get("decision", "")
    if decision not in ("approved", "rejected"):
        abort(400, description="decide with approve or reject")
    with _store() as store:
        try:
            decide(store, [key], decision, who=_config().who,  # type: ignore[arg-type]
                   note=request.form.get("note", "")[:2000])
        except RedraftError as exc:
            flash(str(exc), "error")
            return _back(key)
    flash(f"Draft {decision}.", "ok")
    return _back(key)


def _target() -> Target:
    target = _config().target
    if target is None:
        abort(400, description="publishing is off: start `redraft review` with --to SITE")
    return target


def publish_draft() -> BaseResponse:
    key = request.form.get("key", "")
    target = _target()
    with _store() as store:
        try:
            stored = find_draft(store, key).stored
        except RedraftError as exc:
            abort(404, description=str(exc))
        result = publish_approved(store, target, [stored])
    session["outcome"] = _outcome_view(result)
    return _back(key)


def publish_all() -> BaseResponse:
    target = _target()
    with _store() as store:
        result = publish_approved(store, target, list(store.drafts(passed_only=False)))
    session["outcome"] = _outcome_view(result)
    return redirect(url_for("index"), code=303)


def login() -> BaseResponse | str:
    error = ""
    if request.method == "POST":
        sent = request.form.get("token", "")
        token = _config().token
        if token is not None and security.check_token(sent, token):
            session.clear()
            session["signed_in"] = True
            return redirect(security.safe_next(request.args.get("next", "/")))
        error = "That token is not the one this server was started with."
    return render_template("login.html", error=error)


def failed(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    description = exc.description or "Something went wrong."
    return render_template("error.html", code=code, description=description), code


def broken(exc: RedraftError) -> tuple[str, int]:  # a store that cannot be read, say
    return render_template("error.html", code=500, description=str(exc)), 500


def _back(key: str) -> BaseResponse:
    return redirect(url_for("draft", key=key), code=303)


def _outcome_view(result: Published) -> dict[str, Any]:
    """The outcome of a publish as plain data for the next page (links checked there)."""
    return {"error": result.error,
            "posts": [{"action": o.action, "title": o.title, "reason": o.reason, "link": o.link,
                       "notes": list(o.notes)} for o in result.outcomes]}
