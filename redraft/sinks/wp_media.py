"""The source's featured image, fetched so that the publisher can upload it to the target.

It is fetched like any page (no credentials go with it), and must be an ``image/*`` answer of
reasonable size; the upload's file name is made from the URL's last path segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from redraft.errors import FetchError, PublishError
from redraft.http import Retrier
from redraft.sinks.markup import printable

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # larger than any news photo; a bigger body is not one
IMAGE_UNAVAILABLE = "image-unavailable"  # PublishError.code of an image that cannot be used
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Image:
    """An image ready to upload: its bytes, media type and a safe file name."""

    content: bytes
    kind: str
    name: str


def fetch_image(retrier: Retrier, url: str) -> Image:
    """Fetch the image at ``url``.

    Raises:
        PublishError: (code ``image-unavailable``) it could not be fetched, is not an image,
            or is too large.
    """
    try:
        answer = retrier.request("GET", url)
    except FetchError as exc:
        raise PublishError(printable(str(exc))[:160], code=IMAGE_UNAVAILABLE) from exc
    kind = answer.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if answer.status_code != 200 or not kind.startswith("image/"):
        raise PublishError(f"{url[:120]} answered {answer.status_code} {kind or 'with no type'}",
                           status=answer.status_code, code=IMAGE_UNAVAILABLE)
    if len(answer.content) > MAX_IMAGE_BYTES:
        raise PublishError(f"{url[:120]} is over {MAX_IMAGE_BYTES // 2**20} MB",
                           code=IMAGE_UNAVAILABLE)
    name = _FILE_NAME.sub("-", urlsplit(url).path.rsplit("/", 1)[-1]).strip(".-") or "image"
    return Image(answer.content, kind, name)
