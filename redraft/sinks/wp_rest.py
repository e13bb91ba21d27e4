"""Authenticated requests to one WordPress REST API, for the publisher: application-password
credentials (from the environment), retries that stop at WordPress's own error answers, and
errors that say what to check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from redraft.errors import FetchError, PublishAuthError, PublishError
from redraft.http import RETRY_STATUSES, Retrier
from redraft.sinks.markup import printable
from redraft.wp.api import AUTH_STATUSES, route_url

UNREACHABLE = "unreachable"  # PublishError.code when WordPress gave no answer of its own
# Where the credentials come from: the environment, never an option (a command line is visible
# to every user of the machine).
USER_VARIABLE = "REDRAFT_WP_USER"
PASSWORD_VARIABLE = "REDRAFT_WP_APP_PASSWORD"
# What to do when they are not set (the publish command and the review app say the same).
MISSING_CREDENTIALS = f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} (an application password)"


@dataclass(frozen=True)
class Credentials:
    """A WordPress user and one of their application passwords (never printed)."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Credentials | None:
        """The credentials in ``USER_VARIABLE`` and ``PASSWORD_VARIABLE``; None unless both
        are set."""
        user, password = environ.get(USER_VARIABLE, ""), environ.get(PASSWORD_VARIABLE, "")
        return cls(user, password) if user and password else None


class WordPressRest:
    """Requests to ``api_root`` as ``credentials``' user; the credentials go to no other origin
    than the API's own and those ``allow`` names (a redirect elsewhere is refused)."""

    def __init__(self, retrier: Retrier, api_root: str, *, credentials: Credentials,
                 allow: Collection[str] = ()) -> None:
        self.retrier = retrier
        self.api_root = api_root
        self.user = credentials.user
        self._auth = httpx.BasicAuth(credentials.user, credentials.password)
        self._allow = tuple(allow)

    def url(self, route: str, params: Mapping[str, Any] | None = None) -> str:
        return route_url(self.api_root, route, params)

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, retried like any other, except that a 5xx answered with a WordPress
        error code is returned at once: it is WordPress's answer and would be the same again.

        The first attempt is made here (the retrier does not show the body of a 5xx it gives up
        on); what is worth retrying then goes to the retrier with one retry fewer.
        """
        retrier = self.retrier
        assert retrier.limiter is not None
        failure: Exception | None = None
        response: httpx.Response | None
        try:
            response = retrier.attempt(method, url, auth=self._auth, trust=self._allow, **kwargs)
        except FetchError as exc:
            response, failure = None, exc
        if response is not None and (response.status_code not in RETRY_STATUSES
                                     or _wordpress_code(response) or not retrier.options.retries):
            return response
        if not retrier.options.retries:
            raise PublishError(f"WordPress at {self.api_root} could not be reached: "
                               f"{type(failure).__name__}: {failure}", code=UNREACHABLE)
        retrier.sleep(retrier.options.backoff)
        rest = dataclasses.replace(retrier, options=dataclasses.replace(
            retrier.options, retries=retrier.options.retries - 1))
        try:
            return rest.request(method, url, auth=self._auth, trust=self._allow, **kwargs)
        except FetchError as exc:
            raise PublishError(f"WordPress at {self.api_root} could not be reached: {exc}",
                               status=exc.status, code=UNREACHABLE) from exc

    def call(self, method: str, url: str, *, body: Any = None, expect: type = dict,
              **kwargs: Any) -> Any:
        """One authenticated request; the JSON answer, or a clear error."""
        if body is not None:
            kwargs["json"] = body
        response = self.send(method, url, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.is_success and isinstance(data, expect):
            return data
        status = response.status_code
        error = data if isinstance(data, Mapping) else {}
        code = str(error.get("code") or "")
        where = f"{method} {url.split('?', 1)[0]}"
        if status == 400 and code == "term_exists":
            raise TermExists(int((error.get("data") or {}).get("term_id") or 0))
        if status in AUTH_STATUSES:
            raise PublishAuthError(
                f"WordPress refused the credentials ({status} {code}) at {where}: "
                f"check {USER_VARIABLE} and {PASSWORD_VARIABLE} (an application password from "
                "Users → Profile; HTTPS is required unless the site is local), and that the "
                "server passes the Authorization header on", status=status, code=code)
        detail = printable(str(error.get("message") or ""))[:300] if error else \
            f"not a WordPress REST answer ({response.headers.get('content-type', 'no type')})"
        raise PublishError(f"WordPress answered {status} {code} at {where}: {detail}",
                           status=status, code=code)


def _wordpress_code(response: httpx.Response) -> str:
    """The ``code`` of a WordPress error answer ("" when the body is not one)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("code") or "") if isinstance(data, Mapping) else ""


class TermExists(PublishError):
    """400 term_exists: the term is there already (its id travels along)."""

    def __init__(self, term_id: int) -> None:
        super().__init__(f"term exists (id {term_id})", status=400, code="term_exists")
        self.term_id = term_id
