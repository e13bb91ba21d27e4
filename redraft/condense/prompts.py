"""The LLM engine's data: prompt templates (versioned) and the patterns its output is cleaned by.

A prompt is stored with every draft as ``"<name>@<version>"``; change a template's wording and
you change its version, so a store can tell drafts of one wording from another's. Templates
are :meth:`str.format` strings; their fields are listed with each one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from redraft.errors import ConfigError
from redraft.records import ProblemKind


@dataclass(frozen=True, slots=True)
class Prompt:
    """One versioned set of instructions for the LLM engine.

    Attributes:
        name: the prompt's name (``[llm] prompt`` in the config file).
        version: bumped whenever any template's wording changes.
        system: the rules, sent as the system message of every request.
        condense: a whole article. Fields: ``budget``, ``language``, ``title``, ``article``.
        section: one part of a long article. Fields: those of ``condense``, ``part``, ``parts``
            and ``lead`` (one of :attr:`first_part` or :attr:`later_part`).
        first_part: the ``lead`` of a long article's first part.
        later_part: the ``lead`` of its later parts.
        combine: joins the condensed parts. Fields: ``budget``, ``language``, ``drafts``.
        revise: the follow-up turn after a failed draft. Fields: ``budget``, ``problems``.
        revise_alone: a revision without the whole article (it did not fit). Fields:
            ``budget``, ``language``, ``draft``, ``problems``.
        problem: one listed problem. Fields: ``sentence``, ``hint``.
        evidence: appended to a hint when the verifier found source text. Field: ``evidence``.
        hints: what to do about each kind of problem.
        stop: sequences at which the server stops generating: the start of what follows a
            draft (a source line, a note, a word count), never text a draft holds. At most
            four (OpenAI's limit).
    """

    name: str
    version: str
    system: str
    condense: str
    section: str
    first_part: str
    later_part: str
    combine: str
    revise: str
    revise_alone: str
    problem: str
    evidence: str
    hints: Mapping[ProblemKind, str]
    stop: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``"<name>@<version>"``, as stored with each draft."""
        return f"{self.name}@{self.version}"

    @property
    def digest(self) -> str:
        """A digest of every text the prompt sends (version aside): a test pins it to the
        version, so a wording changed without a new version fails."""
        texts: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)
                                    if f.name not in ("version", "hints")}
        texts["hints"] = dict(sorted(self.hints.items()))
        canonical = json.dumps(texts, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


_SYSTEM = """\
You condense news articles into short, faithful rewrites. Follow these rules strictly.
1. Say only what the article says. Add no fact, name, number, date, cause, motive, \
consequence, background or conclusion that the article does not state.
2. No opinion, comment, judgement or speculation of your own.
3. Keep names, numbers, dates and attributions exactly as the article gives them; say who \
said what, as the article does.
4. Text in quotation marks must be copied word for word from the article and given to the \
same speaker; anything you reword goes without quotation marks.
5. Lead first: start with the article's main news, then the most important details.
6. Plain text only: one paragraph per line, no title, no headings, no lists, no bold, no \
markdown, no introduction such as "Here is", no closing remark, no source or credit line \
(the source is credited separately).
7. Never repeat a sentence or a paragraph.
8. Write in the article's language."""

CONDENSE = Prompt(
    name="condense",
    version="2026-12-3",
    system=_SYSTEM,
    condense=(
        "Condense this {language} news article to {budget}.\n\n"
        "Title: {title}\n\nArticle:\n{article}"
    ),
    section=(
        "This is part {part} of {parts} of a long {language} news article. Condense this "
        "part to {budget}. {lead}\n\nTitle: {title}\n\nPart {part} of {parts}:\n{article}"
    ),
    first_part="Start with the article's main news.",
    later_part="Do not introduce or number the part; just condense what it says.",
    combine=(
        "Below are condensations of consecutive parts of one {language} news article. Join "
        "them into one condensation of {budget}: the main news first, no repetition, and "
        "nothing they do not say.\n\n{drafts}"
    ),
    revise=(
        "A fact-checker compared your condensation with the article and found these "
        "problems:\n{problems}\n\nWrite the whole condensation again, to {budget}, fixing "
        "every problem: correct each listed sentence so that it says only what the article "
        "says, or leave it out. Keep the other sentences. Follow the same rules: plain text, "
        "one paragraph per line."
    ),
    revise_alone=(
        "Here is a condensation of a {language} news article, to {budget}:\n\n{draft}\n\n"
        "A fact-checker compared it with the article and found these problems:\n{problems}\n\n"
        "Write the condensation again, fixing every problem: correct each listed sentence "
        "using only what the article says (quoted under each problem), or leave it out. Keep "
        "the other sentences unchanged. Plain text, one paragraph per line."
    ),
    problem='- "{sentence}": {hint}',
    evidence=' The article says: "{evidence}"',
    hints=MappingProxyType({
        "repeated": "this repeats an earlier sentence; say it once.",
        "unsupported": "the article does not say this.",
        "number": "a number, amount or date differs from the article's.",
        "name": "this names someone or something the article never names.",
        "quote": "the quoted words are not the article's, or not the speaker's it gives.",
        "credit": "leave credits out; the source is credited separately.",
        "length": "the condensation is outside the length asked for.",
        "unbalanced": "a quotation opens or closes here without its other half; quote it whole "
                      "or leave it out.",
        "unattributed": "the quoted words lose their speaker; name who said them, as the article "
                        "does.",
        "dangling": "this opens by pointing back to something the condensation left out; keep "
                    "what it refers to, or rephrase it to stand alone.",
        "signpost": "this announces something that never follows; end on a complete point.",
        "junk": "this is not article text (a link, a credit, a reference line); leave it out.",
        "unchecked": "this rewording cannot be checked in the article's language; use the "
                     "article's own words for it, or leave it out.",
    }),
    stop=("\nSource:", "\nNote:", "\nWord count", "\n(Word count"),
)

PROMPTS: Mapping[str, Prompt] = MappingProxyType({CONDENSE.name: CONDENSE})


def get_prompt(name: str) -> Prompt:
    """The prompt called ``name``.

    Raises:
        ConfigError: no prompt has that name.
    """
    try:
        return PROMPTS[name]
    except KeyError:
        known = ", ".join(sorted(PROMPTS))
        raise ConfigError(f"unknown LLM prompt {name!r}; the prompts are: {known}") from None


# Language names for the prompts, by ISO 639-1 code: every language the identifier
# (py3langid) can return, so the instruction names the article's language whatever it is.
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({
    "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic", "as": "Assamese",
    "az": "Azerbaijani", "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fo": "Faroese", "fr": "French", "fy": "Frisian", "ga": "Irish",
    "gd": "Scottish Gaelic", "gl": "Galician", "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "ig": "Igbo", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
    "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish",
    "lg": "Ganda", "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian",
    "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi",
    "ms": "Malay", "mt": "Maltese", "my": "Burmese", "nb": "Norwegian", "ne": "Nepali",
    "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian", "oc": "Occitan", "om": "Oromo",
    "or": "Odia", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
    "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "sa": "Sanskrit",
    "se": "Northern Sami", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "st": "Sesotho", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai",
    "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "tt": "Tatar", "ug": "Uyghur",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapük",
    "wa": "Walloon", "xh": "Xhosa", "yo": "Yoruba", "zh": "Chinese", "zu": "Zulu",
})
# What the prompts call a language without a name here (``und``: the identifier was unsure, or
# a code given with --language that it does not list): the rules still say to write in the
# article's language, and "this original-language news article" reads right in every template.
UNNAMED_LANGUAGE = "original-language"


def language_name(code: str) -> str:
    """The English name of the language ``code`` names, as the prompts put it."""
    return LANGUAGE_NAMES.get(code.split("-", maxsplit=1)[0].lower(), UNNAMED_LANGUAGE)


# --- cleaning the output ---------------------------------------------------------------------
# What models add around the text they were asked for, in the languages redraft supports.
# Each pattern matches a whole line (case-insensitive) that is dropped.

_I = re.IGNORECASE

# Reasoning models think aloud before answering; the thinking is never part of the draft.
THINKING = re.compile(r"<(think|thinking|reasoning)>.*?(?:</\1>|\Z)", re.IGNORECASE | re.DOTALL)

# An opening line announcing the text ("Here is the condensed article:", "Sure!").
PREAMBLE = re.compile(
    r"^(?:(?:sure|certainly|of course|okay|ok)\b[^.:]*[.!:]?\s*)?"
    r"(?:here(?:'s| is| are)\b.{0,80}|below is\b.{0,80}|"
    r"(?:the )?(?:condensed|shortened|rewritten) (?:version|article|text)\b.{0,40}|"
    r"(?:voici|voilà)\b.{0,80}|(?:aquí|a continuación)\b.{0,80}|"
    r"(?:summary|condensation|condensed|résumé|resumen|rewrite)\b.{0,40})?:\s*$"
    r"|^(?:sure|certainly|of course|okay)[!.,]?\s*$",
    _I,
)

# A label the model puts before the text on the same line ("Summary: Ministers said ...").
LEADING_LABEL = re.compile(r"^(?:summary|condensed (?:version|article)|résumé|resumen)\s*:\s+", _I)

# Lines that are not article text: credits, word counts, notes about the condensation,
# closing offers. The pipeline adds the real credit.
META_LINE = re.compile(
    r"^\(?(?:sources?|fuentes?|crédits?|credits?|quelle|via|original(?: article)?|"
    r"read more|leer más|lire la suite|title|titre|título|word count|words?|"
    r"note|nota|n\.b\.)\s*:"
    r"|^\(?\d+ (?:words|palabras|mots)\)?\.?$"
    r"|^(?:i hope|let me know|feel free|would you like|if you (?:need|want|would))\b",
    _I,
)

# A sentence that talks about the article instead of condensing it: a small model echoes the
# revision prompt's evidence line ('The article says: "..."') or describes the article ("The
# article is about..."). A condensation never mentions "the article" (rule 6 of the system
# prompt), so such a sentence is dropped like a note.
ABOUT_THE_ARTICLE = re.compile(
    r"^\W*(?:the (?:article|text|story|news article)|this (?:article|text|story))\s+"
    r"(?:says|said|states|stated|reports|is about|was about|discusses|describes|explains|"
    r"mentions|talks about|highlights|focuses on|is condensed|has been condensed)\b",
    _I,
)
