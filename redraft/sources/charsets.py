"""Bytes of a local file to text, by the surest evidence first, and a clear rejection for what
stays doubtful (a wrong guess would become a "draft" full of wrong letters, silently).

The order: a byte-order mark (UTF-32 before UTF-16, whose mark is a prefix of UTF-32's); UTF-8,
which legacy text practically never passes by chance once it has a non-ASCII byte; the encoding
the file declares (XML declaration or HTML ``<meta>``); Windows-1252, the web's legacy Western
encoding, when it yields plausible Western text; last a statistical guess (charset-normalizer),
kept only when no other web encoding fits the bytes as well while reading them differently.
"""

from __future__ import annotations

import codecs
import logging
import re

from redraft.errors import Malformed, Rejected

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# Where a declaration may be: the XML declaration comes first, HTML's <meta> in the <head>.
_DECLARATION_BYTES = 4096
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)"""
    rb"""|<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
# Declared encodings whose text is all ASCII bytes, so UTF-8 would read it wrong.
_SEVEN_BIT = ("iso2022", "utf-7", "hz")

# In Western European text, accented letters are a minority; when more letters would decode
# to accented ones, the bytes are another script (Cyrillic, Greek) and Windows-1252 is wrong.
_MAX_ACCENTED_SHARE = 0.3
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
# Windows-1252 bytes that are letters: Š Œ Ž š œ ž Ÿ ƒ and À-ÿ except × and ÷.
_ACCENTED = bytes([0x83, 0x8A, 0x8C, 0x8E, 0x9A, 0x9C, 0x9E, 0x9F]) + bytes(
    b for b in range(0xC0, 0x100) if b not in (0xD7, 0xF7))
# Symbols seen inside Western words: ´ and ’ ‘ as apostrophes, · (Catalan l·l), ª º, dashes,
# the soft hyphen. Any other symbol between two letters (Rz¹d, g³ówny) is another encoding's
# letter: Central European text in Windows-1250 read as 1252.
_MIDWORD_OK = bytes([0xB4, 0x92, 0x91, 0xB7, 0xAA, 0xBA, 0x96, 0x97, 0xAD])
_NOT_ASCII_LETTERS = bytes(sorted(set(range(256)) - set(_ASCII_LETTERS)))
_NOT_ACCENTED = bytes(sorted(set(range(256)) - set(_ACCENTED)))
_SYMBOLS = bytes(b for b in range(0x80, 0xC0) if b not in _ACCENTED and b not in _MIDWORD_OK)
_LETTER = b"A-Za-z" + re.escape(_ACCENTED)
_MIDWORD_SYMBOL = re.compile(b"[" + _LETTER + b"][" + re.escape(_SYMBOLS) + b"][" + _LETTER + b"]")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# The statistical guess: how much of a file it reads, the legacy encodings web pages really use
# (the WHATWG Encoding Standard's, by Python's names), and how close a rival guess must come
# (in charset-normalizer's chaos and coherence scores) to make the best one doubtful.
_GUESS_BYTES = 1024 * 1024
_WEB_ENCODINGS = frozenset({
    "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7",
    "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874", "tis_620", "cp1250", "cp1251",
    "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb2312",
    "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr",
    "cp949",
})
_RIVAL_CHAOS = 0.01
_RIVAL_COHERENCE = 0.1


def decode(data: bytes, *, label: str) -> str | Rejected:
    """A file's text, or why its encoding cannot be trusted (``label`` names it)."""
    return decoded(data, label=label)[0]


def decoded(data: bytes, *, label: str) -> tuple[str | Rejected, bool]:
    """:func:`decode`'s answer, and whether it read the bytes as UTF-8 (no byte-order mark),
    so that they are the text's UTF-8 as an encode would write it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), False
            except UnicodeDecodeError:
                return _doubtful(label, f"starts with a {codec.upper()} byte-order mark but is "
                                        f"not valid {codec.upper()}"), False
    if b"\x00" in data:
        return _doubtful(label, "holds NUL bytes: a binary file, or UTF-16 or UTF-32 text "
                                "without a byte-order mark"), False
    # The declaration is looked for only where it can matter: ASCII bytes (a 7-bit encoding
    # such as UTF-7 reads them otherwise) and bytes that are not UTF-8.
    if data.isascii():
        declared = _declared(data)
        if declared and declared.startswith(_SEVEN_BIT):
            return _decoded_as(data, declared) or data.decode("ascii"), False
        return data.decode("ascii"), True
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared and (text := _decoded_as(data, declared)) is not None:
        return text, False
    if (text := _as_western(data)) is not None:
        return text, False
    return _guess(data, label=label), False


def _doubtful(label: str, why: str) -> Malformed:
    return Malformed(f"{why}; re-save it as UTF-8", key=f"file:{label}", source=label)


def _declared(data: bytes) -> str | None:
    """The Python codec name of the encoding the file declares, if any (and known)."""
    match = _DECLARED.search(data[:_DECLARATION_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        log.info("unknown declared encoding %r", name)
        return None


def _decoded_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        log.info("the declared encoding %s does not fit the bytes; guessing instead", codec)
        return None


def _as_western(data: bytes) -> str | None:
    """Text decoded as Windows-1252, if it looks like Western European text.

    Statistical detectors guess badly on short Western texts (one ``´`` turns "España" into
    Windows-1250's "Espańa"), which are the common case of non-UTF-8 input here; this check is
    exact for them and declines what looks like another script. Latin-1 adds nothing: the bytes
    where it differs from Windows-1252 are control characters in it.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: not Windows-1252
        return None
    if _CONTROL.search(data) or _MIDWORD_SYMBOL.search(data):
        return None
    accented = len(data.translate(None, delete=_NOT_ACCENTED))
    letters = len(data.translate(None, delete=_NOT_ASCII_LETTERS)) + accented
    return text if letters and accented / letters <= _MAX_ACCENTED_SHARE else None


def _guess(data: bytes, *, label: str) -> str | Rejected:
    """charset-normalizer's best web encoding, unless a rival reads the bytes differently."""
    sample = data[:_GUESS_BYTES]
    # Imported here: most input is UTF-8 or says its charset, and never needs the guesser.
    from charset_normalizer import from_bytes  # noqa: PLC0415

    matches = [m for m in from_bytes(sample) if m.encoding in _WEB_ENCODINGS]
    if not matches:
        return _doubtful(label, "not valid UTF-8, and no encoding a web page would use fits it")
    best, text = matches[0], str(matches[0])
    for rival in matches[1:]:
        if (rival.chaos - best.chaos <= _RIVAL_CHAOS
                and abs(rival.coherence - best.coherence) <= _RIVAL_COHERENCE
                and str(rival) != text):
            return _doubtful(label, f"not valid UTF-8, and its encoding is doubtful ({best.encoding} "
                                    f"or {rival.encoding}, which read it differently)")
    try:
        return data.decode(best.encoding)
    except UnicodeDecodeError:  # the sample fitted, the rest does not
        return _doubtful(label, f"not valid UTF-8, nor {best.encoding} throughout")
