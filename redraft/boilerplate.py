"""What plugins and themes inject into a post, as data: one entry per plugin or family.

:mod:`redraft.extract` drops an element when its ``class`` or ``id`` matches an entry, and a
block of text when the whole block matches an entry's text pattern. Add a plugin by adding an
entry to :data:`PLUGINS`; the matchers below are compiled from the table once, at import.

Each entry names its traces three ways:

* ``names``: whole class or id names (regular expressions, lower case), e.g. ``sharedaddy``;
* ``words``: parts of a class or id name between ``-``, ``_`` or spaces, e.g. ``share`` matches
  ``post-share-buttons`` and ``heateor_sss_sharing``' ``sharing`` must be listed too. Words are the
  generic rules: they find the same widget on sites and plugins never seen here;
* ``texts``: a whole block's text (case-insensitive, full match), for widgets with no telling
  class, such as a bare "Reading time: 4 min" line. ``max_words`` bounds the block's length,
  so that a real paragraph that merely starts the same way is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plugin:
    """The traces one plugin (or one family of look-alike plugins) leaves in rendered HTML."""

    name: str
    names: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    max_words: int = 25


PLUGINS: tuple[Plugin, ...] = (
    # --- reading time -------------------------------------------------------------------
    # Reading Time WP, Read Meter, Yoast's reading-time block; the words find the rest.
    Plugin(
        "reading-time",
        names=(r"rt-reading-time", r"bsf-rt-reading-time", r"yoast-reading-time.*",
               r"span-reading-time", r"post-read-time", r"eta-reading"),
        words=(r"read-?time", r"reading-?time", r"time-to-read", r"readtime", r"min-read"),
        texts=(r"(?:estimated\s+)?(?:reading|read)\s+time\s*:?.{0,40}",
               r"(?:tiempo|tiempo estimado) de lectura\s*:?.{0,40}",
               r"(?:temps|dur[ée]e) de lecture\s*:?.{0,40}",
               r"\d+\s*(?:min(?:ute)?s?|minutos?)\.?\s*(?:read|de lectura|de lecture)\.?"),
        max_words=10,
    ),
    # --- reactions, likes and ratings ---------------------------------------------------
    # WP Reactions, DW Reactions, WP ULike, Jetpack likes, star ratings; the words find the rest.
    Plugin(
        "reactions",
        names=(r"wpra-.*", r"dw-reactions.*",
               r"wpulike.*", r"wp_ulike.*", r"sd-like", r"jetpack-likes-widget.*", r"kk-star-ratings",
               r"post-ratings", r"yasr-.*", r"wp-postratings"),
        words=(r"reactions?", r"emoji-?reactions?", r"likes?-?button", r"post-?likes", r"ratings?",
               r"star-?rating", r"vote-?buttons?", r"voting", r"ulike"),
        texts=(r"(?:like|me gusta|j[’']aime)(?: (?:this|esto|ceci))?\s*:?\s*"
               r"(?:loading\.*|cargando\.*|chargement\.*)?",
               r"(?:click to rate this post|rate this (?:post|article)|valora este art[íi]culo|"
               r"notez cet article)\W*.{0,60}",
               r"\[?total:?\s*\d+\s+average:?\s*[\d.,]+\]?"),
    ),
    # --- share buttons ------------------------------------------------------------------
    # Jetpack sharedaddy, AddToAny, AddThis, Shareaholic, Social Warfare, Sassy Social Share,
    # Simple Share Buttons, Monarch, ShareThis, Easy Social Share, MashShare, Shared Counts.
    Plugin(
        "share-buttons",
        names=(r"sharedaddy", r"sd-sharing.*", r"sd-social.*", r"jp-post-flair", r"a2a_kit.*",
               r"addtoany.*", r"addthis.*", r"shareaholic.*", r"swp_.*", r"swp-.*", r"heateor.*",
               r"ssba.*", r"et_social_.*", r"sharethis.*", r"essb_.*", r"mashsb.*", r"shared-counts.*",
               r"sfsi.*", r"socialsnap.*", r"novashare.*", r"printfriendly.*", r"pf-button.*"),
        words=(r"share", r"shares", r"sharing", r"sharer", r"sharebar", r"social", r"sociable",
               r"social-?links?", r"social-?icons?", r"print-?button"),
        texts=(r"(?:share|compartir|comparte|partager|partagez|partage)(?: (?:this|esto|ceci|on|en|"
               r"sur|via|this post|this article|este art[íi]culo|cet article))?\s*:?",
               r"(?:click to|haz clic para|cliquez pour) (?:share|print|email|compartir|imprimir|"
               r"partager|imprimer|envoyer).{0,80}"),
    ),
    # --- related posts ------------------------------------------------------------------
    # Jetpack related posts, YARPP, Contextual Related Posts, Related Posts for WP, Yuzo,
    # WordPress's own embeds of other posts and its latest-posts / RSS blocks.
    Plugin(
        "related-posts",
        names=(r"jp-relatedposts.*", r"yarpp.*", r"crp_related.*", r"crp-list.*", r"rp4wp.*",
               r"yuzo.*", r"wp-embedded-content", r"wp-block-latest-posts.*", r"wp-block-rss.*",
               r"wp-block-query.*", r"related-posts-by-taxonomy.*", r"zem_rp.*"),
        words=(r"related", r"relatedposts", r"related-?posts?", r"related-?articles?",
               r"similar-?posts", r"recommended", r"also-?like", r"more-?stories", r"read-?also",
               r"read-?more-?posts"),
        texts=(r"(?:related|related posts|related articles|related stories|you (?:may|might) also "
               r"like|see also|read also|also read|more from .{1,40}|relacionado|relacionados|"
               r"art[íi]culos relacionados|entradas relacionadas|noticias relacionadas|"
               r"publicaciones relacionadas|(?:tambi[ée]n )?te puede interesar|lee tambi[ée]n|"
               r"similaire|articles similaires|[àa] lire aussi|lire aussi|sur le m[êe]me sujet|"
               r"voir aussi|empfohlene (?:beitr[äa]ge|artikel)|[äa]hnliche (?:beitr[äa]ge|artikel)|"
               r"weitere (?:beitr[äa]ge|artikel)|auch interessant|(?:das )?(?:thema )?"
               r"(?:k[öo]nnte|d[üu]rfte) (?:dich|sie) auch interessieren|lesen sie auch|"
               r"mehr zum thema)\s*:?",),
        max_words=8,
    ),
    # --- appeals to subscribe or support --------------------------------------------------
    # Paywall teasers and donation appeals set inside the article by membership plugins
    # (Memberful, Leaky Paywall, Pico, WP Donate): a request to the reader, not the article.
    Plugin(
        "appeals",
        texts=(r"(?:to (?:view|read|continue reading) the (?:full|rest of the) (?:story|article)"
               r"|if you(?:['’]re| are) (?:seeing this message|already a subscriber)"
               r"|if you enjoyed (?:reading )?this (?:post|article)"
               r"|(?:first-time )?subscribers (?:also )?(?:receive|get) "
               r"|submit your letter to the editor"
               r"|while you(?:['’]re| are) here\b).{0,300}",),
        max_words=60,
    ),
    # --- advertising --------------------------------------------------------------------
    # AdSense, Ad Inserter, Advanced Ads, WP QUADS / Quick Adsense, Jetpack WordAds.
    Plugin(
        "ads",
        names=(r"adsbygoogle", r"code-block-\d+", r"ai-viewports?", r"advads-.*",
               r"quads-.*", r"wpcnt", r"wordads.*", r"adsanity.*", r"google-auto-placed",
               r"ai-attributes", r"div-gpt-ad.*"),
        words=(r"ads?", r"advert", r"adverts", r"advertisement", r"advertising", r"adsense",
               r"ad-?slot", r"ad-?unit", r"ad-?container", r"sponsor", r"sponsored", r"dfp",
               r"promo", r"banner-?ad"),
        texts=(r"(?:advertisement|advertisements|sponsored|publicidad|anuncio|patrocinado|"
               r"publicit[ée]|annonce|sponsoris[ée])\s*:?",),
        max_words=3,
    ),
    # --- newsletter and subscription forms ----------------------------------------------
    # Mailchimp for WP (mc4wp), Mailchimp embeds, Jetpack subscriptions, MailPoet, Newsletter,
    # ConvertKit, Thrive Leads, Bloom, OptinMonster, WPForms, Contact Form 7, Gravity, Ninja.
    Plugin(
        "newsletter-forms",
        names=(r"mc4wp.*", r"mc_embed_signup.*", r"mc-field-group", r"jetpack_subscription_widget",
               r"wp-block-jetpack-subscriptions.*", r"mailpoet.*", r"tnp.*", r"convertkit.*",
               r"ck_form.*", r"tve-leads.*", r"tve_flt", r"et_bloom.*", r"om-holder", r"om-embedded.*",
               r"wpforms.*",
               r"wpcf7.*", r"gform_.*", r"nf-form.*", r"sumome.*", r"hustle.*"),
        words=(r"newsletter", r"newsletters", r"subscribe", r"subscription", r"subscriptions",
               r"subscribers?", r"signup", r"sign-up", r"optin", r"opt-in", r"mailchimp",
               r"email-?capture", r"lead-?gen"),
        texts=(r"(?:subscribe|sign up|join|get|suscr[íi]bete|inscr[íi]bete|recibe|abonnez-vous|"
               r"inscrivez-vous|recevez)\b.{0,80}\b(?:newsletters?|mailing list|inbox|bolet[íi]n|"
               r"infolettre|lettre d[’']information).{0,120}",
               r"(?:enter your email address|introduce tu (?:correo|email)|entrez votre (?:adresse )?"
               r"(?:e-mail|courriel)).{0,120}",
               r"join \d[\d,.]* other (?:subscribers|followers)\.?"),
        max_words=40,
    ),
    # --- author boxes -------------------------------------------------------------------
    # Simple Author Box, Starbox, Molongui, WP About Author, Fancier Author Box, theme boxes.
    Plugin(
        "author-box",
        names=(r"saboxplugin.*", r"abh_.*", r"m-a-box.*", r"molongui.*", r"wp-about-author.*",
               r"ts-fab-.*", r"pp-multiple-authors.*", r"author-bio-section"),
        words=(r"author-?box", r"about-?(?:the-)?author", r"author-?bio", r"author-?info",
               r"author-?card", r"author-?details", r"author-?profile"),
    ),
    # --- tables of contents -------------------------------------------------------------
    # Easy Table of Contents, Table of Contents Plus, LuckyWP, Rank Math and Yoast TOC blocks.
    Plugin(
        "table-of-contents",
        names=(r"ez-toc.*", r"toc_container", r"toc_wrap.*", r"lwptoc.*", r"ftwp-.*",
               r"wp-block-rank-math-toc-block", r"wp-block-yoast-seo-table-of-contents",
               r"rank-math-toc.*", r"uagb-toc.*"),
        words=(r"toc", r"table-?of-?contents", r"tableofcontents"),
        texts=(r"(?:table of contents|contents|[íi]ndice|[íi]ndice de contenidos|contenido|"
               r"table des mati[èe]res|sommaire)\s*:?\s*(?:\[?(?:hide|show|ocultar|mostrar|"
               r"masquer|afficher)\]?)?",),
        max_words=6,
    ),
    # --- embeds of other services -------------------------------------------------------
    # Tweets, Instagram, TikTok and Facebook embeds, and embed blocks whose iframe is gone.
    Plugin(
        "embeds",
        names=(r"twitter-tweet.*", r"twitter-timeline", r"instagram-media.*", r"tiktok-embed",
               r"fb-post", r"fb-video", r"wp-block-embed.*", r"embed-youtube", r"embed-vimeo",
               r"wp-block-video", r"wp-block-audio", r"wp-block-file", r"mejs-.*", r"wp-video",
               r"wp-audio-shortcode", r"wp-playlist.*", r"youtube-player"),
    ),
    # --- call-to-action buttons, widgets and navigation inside the content ----------------
    Plugin(
        "widgets-and-navigation",
        names=(r"wp-block-buttons?", r"wp-block-search.*", r"wp-block-navigation.*",
               r"wp-block-archives.*", r"wp-block-categories.*", r"wp-block-tag-cloud",
               r"wp-block-calendar", r"wp-block-page-list", r"wp-block-loginout",
               r"wp-block-post-navigation-link", r"wp-block-comments.*", r"wp-block-post-comments.*",
               r"more-link", r"page-links", r"post-views.*", r"post-navigation", r"nav-links",
               r"breadcrumbs?", r"entry-meta", r"post-meta", r"entry-footer", r"cat-links",
               r"tags-links", r"edit-link", r"comments-link", r"comment-respond", r"sidebar",
               r"widget-area", r"site-footer", r"site-header", r"skip-link"),
        words=(r"popup", r"modal", r"cookie", r"cookies", r"gdpr", r"consent", r"breadcrumbs?",
               r"pagination", r"comments"),
        texts=(r"(?:continue reading|read more|keep reading|leer m[áa]s|seguir leyendo|"
               r"sigue leyendo|lire la suite|en savoir plus)\b.{0,80}",
               r"(?:post views|views|visitas|lecturas|vues)\s*:?\s*[\d.,]+",
               r"(?:this|our) (?:web)?site uses cookies.{0,300}",
               r"(?:este sitio(?: web)?|esta web) (?:utiliza|usa) cookies.{0,300}",
               r"(?:ce site|notre site) utilise (?:des )?cookies.{0,300}"),
        max_words=60,
    ),
)

# Tags whose whole subtree never holds article text.
DROP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "embed", "object", "applet", "param", "form",
    "button", "input", "select", "option", "textarea", "label", "svg", "canvas", "video", "audio",
    "source", "track", "template", "map", "nav", "menu", "dialog", "head", "title", "meta", "link",
    "base", "frame", "frameset",
})

# On a whole web page, these hold the site's furniture rather than the article.
PAGE_DROP_TAGS = frozenset({"header", "footer", "aside"})

# Class names of what screen readers alone get: not part of the text a reader sees.
HIDDEN_NAMES = frozenset({
    "screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-only",
    "assistive-text", "element-invisible", "hidden", "hide", "show-for-sr",
})

# Inline styles that hide an element (a widget's raw counters, a plugin's templates).
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Class names of captions: figcaption elements are captions whatever their class.
CAPTION_NAMES = frozenset({
    "wp-caption-text", "wp-element-caption", "gallery-caption", "blocks-gallery-caption",
    "wp-caption-dd", "caption-text", "image-caption", "photo-caption",
})

# Shortcodes whose content is media or markup, not text: dropped together with their content.
MEDIA_SHORTCODES = ("embed", "video", "audio", "playlist", "gallery", "wpvideo", "youtube",
                    "vimeo", "soundcloud", "googlemaps", "instagram", "tweet")

# Well-known shortcodes without attributes, so that a bare "[gallery]" goes but "[sic]" stays.
BARE_SHORTCODES = (
    *MEDIA_SHORTCODES,
    "caption", "toc", "ez-toc", "lwptoc", "contact-form", "mc4wp_form", "jetpack_subscription_form",
    "addtoany", "ssba", "social_warfare", "shareaholic", "yarpp", "related_posts", "crp",
    "adinserter", "ad", "ads", "quads", "wpforms", "ninja_form", "gravityform", "mailpoet_form",
    "newsletter", "newsletter_form", "author", "author_box", "simple-author-box", "rt_reading_time",
    "reading_time", "read_meter", "wp_ulike", "ratings", "kkstarratings", "print-me", "printfriendly",
    "box", "button", "divider", "spacer", "clear", "column", "one_half", "one_third", "row",
    "vc_row", "vc_column", "vc_column_text", "et_pb_section", "et_pb_row", "et_pb_text",
    "fusion_builder_container", "fusion_text", "su_note", "su_box", "su_quote", "su_button",
    "tabs", "tab", "accordion", "toggle", "spoiler", "email", "wpseo_breadcrumb", "sitemap",
)

# A shortcode's name: lower case, digits, "-" and "_", starting with a letter.
_SHORTCODE_NAME = r"[a-z][a-z0-9_-]*"
_BARE = "|".join(re.escape(name) for name in BARE_SHORTCODES)
_MEDIA = "|".join(re.escape(name) for name in MEDIA_SHORTCODES)

# An unrendered shortcode left as text: "[name attr=...]" (any quotes, wptexturize's curly
# ones included), a well-known bare "[name]", or a closing "[/name]".
SHORTCODE = re.compile(
    rf"\[(?:(?:{_MEDIA})\b[^\]]*\].{{0,500}}?\[/(?:{_MEDIA})\]"
    rf"|{_SHORTCODE_NAME}\s+[^\]\[]*=[^\]\[]*\]"
    rf"|(?:{_BARE})\s*/?\]"
    rf"|{_SHORTCODE_NAME}[_-]{_SHORTCODE_NAME}\s*/?\]"
    rf"|/{_SHORTCODE_NAME}\])",
    re.DOTALL,
)

# The [caption] shortcode as it appears in raw HTML when it was not rendered: its last text
# after the image is the caption.
CAPTION_SHORTCODE = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)

# A short block made only of these words is a widget's labels (share buttons, reactions).
WIDGET_WORDS = frozenset([
    "share", "shares", "sharing", "compartir", "comparte", "partager", "partagez", "on", "en",
    "sur", "via", "this", "esto", "ceci", "facebook", "twitter", "x", "linkedin", "whatsapp",
    "telegram", "pinterest", "reddit", "tumblr", "pocket", "skype", "messenger", "email",
    "e-mail", "mail", "print", "imprimir", "imprimer", "tweet", "pin", "it", "more", "más",
    "plus", "like", "likes", "loading", "opens", "in", "new", "window", "se", "abre", "en",
    "una", "ventana", "nueva", "s'ouvre", "dans", "une", "nouvelle", "fenêtre", "love", "wow",
    "haha", "sad", "angry", "happy", "funny", "lol", "omg", "cute", "scary", "fail", "geeky",
    "dislike", "upvote", "downvote",
])
# More label words than this is prose, whatever its vocabulary.
WIDGET_MAX_WORDS = 16
# Longer blocks are not checked word by word: no widget's labels run this long.
WIDGET_MAX_CHARS = 240


def _token_pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(name.replace(".*", r"\S*") for name in names)
    return re.compile(r"(?:^|\s)(?:" + alternatives + r")(?=\s|$)")


def _word_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(words) + r")(?=[\s_-]|$)")


@dataclass(frozen=True, slots=True)
class _TextRule:
    plugin: str
    pattern: re.Pattern[str]
    max_words: int


NAME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (plugin.name, _token_pattern(list(plugin.names))) for plugin in PLUGINS if plugin.names
)
WORD_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (plugin.name, _word_pattern(list(plugin.words))) for plugin in PLUGINS if plugin.words
)
_ANY_NAME = _token_pattern([name for plugin in PLUGINS for name in plugin.names])
_ANY_WORD = _word_pattern([word for plugin in PLUGINS for word in plugin.words])
TEXT_RULES: tuple[_TextRule, ...] = tuple(
    _TextRule(plugin.name, re.compile("|".join(f"(?:{t})" for t in plugin.texts),
                                      re.IGNORECASE | re.DOTALL), plugin.max_words)
    for plugin in PLUGINS if plugin.texts
)


def name_rule(names: str) -> str | None:
    """The plugin whose specific class or id names occur in ``names`` (lower case), if any."""
    if not _ANY_NAME.search(names):
        return None
    return next(plugin for plugin, pattern in NAME_RULES if pattern.search(names))


def word_rule(names: str) -> str | None:
    """The plugin family whose generic words occur in the class or id ``names``, if any."""
    if not _ANY_WORD.search(names):
        return None
    return next(plugin for plugin, pattern in WORD_RULES if pattern.search(names))


_MOST_RULE_WORDS = max(rule.max_words for rule in TEXT_RULES)
# Every rule's pattern at once: most blocks match none, which one call tells.
_ANY_TEXT = re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in TEXT_RULES),
                       re.IGNORECASE | re.DOTALL)


def text_rule(text: str) -> str | None:
    """The plugin whose text pattern the whole block ``text`` matches, if any."""
    if _ANY_TEXT.fullmatch(text):
        count = len(text.split(None, _MOST_RULE_WORDS))  # counting stops past every rule's bound
        for rule in TEXT_RULES:
            if count <= rule.max_words and rule.pattern.fullmatch(text):
                return rule.plugin
    if len(text) <= WIDGET_MAX_CHARS and _only_widget_words(text):
        return "widget-labels"
    return None


_LABEL_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\s*%?|%")


def _only_widget_words(text: str) -> bool:
    labels = 0
    for match in _LABEL_TOKEN.finditer(text.lower()):  # prose stops at its first few words
        token = match.group()
        if token[0].isdigit() or token == "%":
            continue
        if token not in WIDGET_WORDS or labels == WIDGET_MAX_WORDS:
            return False
        labels += 1
    return labels > 0
