"""The fixture's posts, made up deterministically: news-like prose on a handful of beats,
in block-editor and classic-editor markup, with the plugin output real sites carry.

Everything here is invented for the fixture (names, places, organisations, numbers). The same
``count`` and ``seed`` always give the same posts, so IDs, titles, dates and bodies are
repeatable from one start to the next. :func:`posts` returns plain dicts that ``seed.php``
inserts with ``wp_insert_post``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

FIRST_NAMES = ("Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines",
               "Jonas", "Kalani", "Lucía", "Mateo", "Nadia", "Oskar", "Priya", "Rafael", "Saoirse",
               "Tomasz", "Uma", "Viktor", "Wanjiru", "Xavier", "Yara", "Zofia")
LAST_NAMES = ("Okafor", "Lindqvist", "Marchetti", "Novak", "Haddad", "Brennan", "Castellanos",
              "Fujimoto", "Abernathy", "Kowalczyk", "Mensah", "Duarte", "Sørensen", "Whitfield",
              "Ivanova", "Delacroix", "Ferreira", "Nakamura", "Oyelaran", "Petrov")
PLACES = ("Harrowgate", "Port Ellery", "Kestrel Bay", "Millbrook", "Aldersfield", "Vennmark",
          "Greyhaven", "Saint-Orlan", "Dunmore Flats", "Calloway")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Each beat: organisations, roles of the people quoted, things that happen, and what is counted.
BEATS: dict[str, dict[str, tuple[str, ...]]] = {
    "transit": {
        "orgs": ("the Regional Transit Authority", "the Harbour Line operator", "the city council"),
        "roles": ("transport commissioner", "union representative", "council planner"),
        "things": ("the tram extension", "the night bus network", "the new fare system",
                   "the ferry timetable", "the cycle lane programme"),
        "units": ("passengers a day", "kilometres of track", "buses"),
    },
    "science": {
        "orgs": ("the Institute for Coastal Research", "the university's physics department",
                 "the national weather service"),
        "roles": ("lead author", "marine biologist", "senior researcher"),
        "things": ("the sediment survey", "the new telescope array", "the seagrass study",
                   "the drought model", "the sensor network"),
        "units": ("samples", "sites", "years of records"),
    },
    "business": {
        "orgs": ("the harbour cooperative", "a regional bakery chain", "the chamber of commerce"),
        "roles": ("chief executive", "finance director", "shop owner"),
        "things": ("the quarterly results", "the warehouse expansion", "the merger talks",
                   "the hiring freeze", "the export deal"),
        "units": ("jobs", "stores", "tonnes of goods"),
    },
    "culture": {
        "orgs": ("the municipal museum", "the festival committee", "the public library"),
        "roles": ("curator", "festival director", "head librarian"),
        "things": ("the autumn exhibition", "the film festival", "the restoration project",
                   "the poetry prize", "the open-air concert series"),
        "units": ("visitors", "artworks", "events"),
    },
    "health": {
        "orgs": ("the district hospital", "the regional health board", "a patients' association"),
        "roles": ("chief nurse", "public health officer", "hospital spokesperson"),
        "things": ("the vaccination drive", "the new emergency wing", "the waiting-list plan",
                   "the mental health service", "the screening programme"),
        "units": ("patients", "beds", "clinics"),
    },
    "sport": {
        "orgs": ("the rowing club", "the county football league", "the athletics federation"),
        "roles": ("head coach", "team captain", "league secretary"),
        "things": ("the season opener", "the stadium upgrade", "the youth academy",
                   "the relay championship", "the transfer window"),
        "units": ("spectators", "points", "matches"),
    },
}

SENTENCES = (
    "{org_cap} said on {day} that {thing} would go ahead in {month}, about {n} weeks later than planned.",
    "The figures show {amount} {unit} in {place} last year, up {pct} per cent on the year before.",
    "Officials in {place} expect the cost of {thing} to reach {money} by {year}.",
    "{person}, the {role}, said the delay was caused by a shortage of parts and staff.",
    "According to {org}, {n2} {unit} were affected when {thing} was paused in {month}.",
    "Residents of {place} have asked for a public meeting before any decision on {thing} is taken.",
    "A report published in {month} found that {thing} had cost {money} so far.",
    "The plan was first proposed in {year} and was approved by a narrow vote of {v1} to {v2}.",
    "{person} told reporters that the numbers were encouraging but that the work was far from over.",
    "Critics argue that {thing} has drawn money away from smaller projects in {place}.",
    "{org_cap} will publish a full review of {thing} before the end of {month}.",
    "Local groups in {place} collected {n2} signatures in support of the proposal.",
    "The budget for {thing} was cut by {pct} per cent after the spring review.",
    "Work on {thing} resumed on {day} after a two-week pause for safety checks.",
    "{person} joined {org} in {year} after a decade working in {place}.",
    "Neither side has said what would happen if the deadline in {month} is missed.",
    "In a statement, {org} said it had received {n2} comments during the consultation.",
    "The nearest comparable scheme, in {place}, took {n} months longer than expected.",
    "{org_cap} estimates that {thing} will serve about {amount} {unit} once complete.",
    "The vote on {thing} is scheduled for the first {day} of {month}.",
    "{person} said the team had learned a great deal from the trial in {place}.",
    "Independent auditors are expected to examine the accounts of {thing} next {month}.",
    "Opposition members walked out of the {day} session in protest at the timetable.",
    "Two contractors bid for the work, and the cheaper offer came in at {money}.",
    "Attendance at the open day in {place} was higher than organisers had predicted.",
    "A spokesperson for {org} declined to comment on the leaked draft.",
    "The first phase is due to finish in {month} {year}, weather permitting.",
    "Volunteers have logged more than {n2} hours on the project since it began.",
    "Engineers found cracks in an older section during a routine inspection.",
    "Some shopkeepers in {place} say trade fell by a third while the street was closed.",
    "The regional government has promised to match every euro raised locally.",
    "A survey of {n2} households found broad support, though younger people were less sure.",
    "The idea was borrowed from a similar project that opened in {place} in {year}.",
    "{person}, who chairs the oversight panel, asked for monthly progress reports.",
    "Insurance costs alone rose by {pct} per cent over the past two years.",
    "Schools in the area will be given free tickets for the opening week.",
    "The contract includes a penalty of {money} if the work overruns by more than a year.",
    "Several trees will be replanted along the northern edge of the site.",
    "Unions have asked for written guarantees that no permanent jobs will be lost.",
    "The final design keeps the old façade but replaces almost everything behind it.",
    "Members of the public can follow the work on a weekly blog run by {org}.",
    "A second consultation is planned once the detailed drawings are ready.",
)
QUOTES = (
    "We have listened carefully, and we think this is the right balance for {place}",
    "Nobody wanted the delay, but safety has to come first on {thing}",
    "The numbers are better than we feared and worse than we hoped",
    "This is the most ambitious thing {org} has tried in a generation",
    "People in {place} deserve a straight answer about {thing}",
    "We will keep publishing the figures every month so that anyone can check them",
)
HEADINGS = ("What happens next", "The numbers behind it", "Why it matters", "A long road",
            "What residents say", "The cost so far", "Background")
TITLES = (
    "{place} council backs {thing} — with conditions",
    "Q&A: what {thing} means for {place}",
    "“We listened”: {org} defends {thing}",
    "{n} things to know about {thing}",
    "Café owners in {place} weigh in on {thing}",
    "Why {thing} costs {money} & who pays",
    "{thing_cap} delayed again 🚧",
    "Inside {org}’s plan for {thing}",
    "Using <code>open data</code> to track {thing}",
    "{place}: {thing} by the numbers",
    "Don’t expect {thing} before {year}, officials warn",
    "Élan and doubts as {thing} nears its start",
)
CATEGORIES = (("News", ""), ("Local", "News"), ("Science", ""), ("Business", ""),
              ("Culture", ""), ("Health", ""), ("Sport", ""), ("Opinion", ""))
BEAT_CATEGORY = {"transit": "Local", "science": "Science", "business": "Business",
                 "culture": "Culture", "health": "Health", "sport": "Sport"}
TAGS = ("budget", "council", "consultation", "delays", "funding", "jobs", "transport",
        "research", "climate", "housing", "festival", "museum", "hospital", "football",
        "rowing", "open data", "elections", "schools", "harbour", "weather", "audit", "trade")
AUTHORS = (("admin", "Site Admin", "administrator"), ("mweller", "Mira Weller", "author"),
           ("tobasi", "Tunde Obasi", "editor"))

# Plugin output written into some post bodies (other plugin output is added at render time by
# the fixture's mu-plugin, as real plugins do through `the_content`).
NEWSLETTER = ('<div class="mc4wp-form mc4wp-form-{id}"><div class="mc4wp-form-fields">'
              '<p>Get the morning briefing by email:</p><p><input type="email" name="EMAIL" '
              'placeholder="Your email address" required /></p><p><input type="submit" '
              'value="Subscribe" /></p></div><div class="mc4wp-response"></div></div>')
YARPP = ('<div class="yarpp yarpp-related"><h3>Related posts:</h3><ol><li><a href="/?p={other}" '
         'rel="bookmark">An earlier report</a></li></ol></div>')
CONTACT_FORM = '[contact-form-7 id="{id}" title="Contact the newsroom"]'

BASE_DATE = datetime(2025, 6, 1, 9, 0, 0)  # the newest post's date (site time)
SPACING = timedelta(hours=42)  # posts about 1.75 days apart


class _Writer:
    """Fills templates for one post; each template is used at most once in it, as real
    articles do not repeat a sentence with one word changed."""

    def __init__(self, rng: random.Random, beat: str) -> None:
        self.rng = rng
        self.beat = BEATS[beat]
        self.topic = rng.choice(self.beat["things"])  # what the post is mostly about
        self.sentences = rng.sample(SENTENCES, len(SENTENCES))
        self.quotes = rng.sample(QUOTES, len(QUOTES))

    def slots(self) -> dict[str, str]:
        rng, beat = self.rng, self.beat
        org = rng.choice(beat["orgs"])
        thing = self.topic if rng.random() < 0.7 else rng.choice(beat["things"])
        v1 = rng.randint(5, 9)
        return {
            "org": org, "org_cap": org[0].upper() + org[1:], "thing": thing,
            "thing_cap": thing[0].upper() + thing[1:], "role": rng.choice(beat["roles"]),
            "unit": rng.choice(beat["units"]), "place": rng.choice(PLACES),
            "person": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "month": rng.choice(MONTHS), "day": rng.choice(DAYS), "year": str(rng.randint(2012, 2027)),
            "n": str(rng.randint(3, 14)), "n2": f"{rng.randint(120, 9800):,}",
            "amount": f"{rng.randint(2, 950) * 100:,}", "pct": str(rng.randint(2, 38)),
            "money": f"€{rng.randint(2, 90)}.{rng.randint(1, 9)} million",
            "v1": str(v1), "v2": str(v1 - rng.randint(1, 3)),
        }

    def sentence(self) -> str:
        if not self.sentences:
            raise RuntimeError("a post asked for more sentences than there are templates")
        return self.sentences.pop().format(**self.slots())

    def paragraph(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(2, 3))]
        if self.quotes and self.rng.random() < 0.25:
            slots = self.slots()
            quote = self.quotes.pop().format(**slots)
            sentences.append(f"“{quote},” said {slots['person']}, the {slots['role']}.")
        if self.rng.random() < 0.2:
            sentences[0] = sentences[0].replace(" said ", " <strong>said</strong> ", 1)
        return " ".join(sentences)


def _block_body(w: _Writer, post_id_hint: int, image: dict[str, Any] | None) -> str:
    rng = w.rng

    def para(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    parts = [para(w.paragraph()), para(w.paragraph())]
    parts.append(f"<!-- wp:heading -->\n<h2>{rng.choice(HEADINGS)}</h2>\n<!-- /wp:heading -->")
    parts.append(para(w.paragraph()))
    quote = w.sentence()
    parts.append(f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>{quote}</p>'
                 f"<cite>{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}</cite></blockquote>\n"
                 "<!-- /wp:quote -->")
    if image is not None:
        parts.append(
            f'<!-- wp:image {{"id":{image["id"]},"sizeSlug":"large"}} -->\n'
            f'<figure class="wp-block-image size-large"><img src="{image["url"]}" alt="" '
            f'class="wp-image-{image["id"]}"/><figcaption class="wp-element-caption">'
            f"Photo: {w.sentence()}</figcaption></figure>\n<!-- /wp:image -->")
    parts.append(para(w.paragraph()))
    items = "".join(f"<!-- wp:list-item -->\n<li>{w.sentence()}</li>\n<!-- /wp:list-item -->"
                    for _ in range(rng.randint(3, 4)))
    parts.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
    parts.extend(para(w.paragraph()) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.3:
        parts.append("<!-- wp:html -->\n" + NEWSLETTER.format(id=77) + "\n<!-- /wp:html -->")
    if rng.random() < 0.2:
        parts.append("<!-- wp:html -->\n" + YARPP.format(other=max(1, post_id_hint - 1))
                     + "\n<!-- /wp:html -->")
    return "\n\n".join(parts)


def _classic_body(w: _Writer, post_id_hint: int, image: dict[str, Any] | None) -> str:
    rng = w.rng
    parts = [w.paragraph()]
    if rng.random() < 0.3:
        parts.append("<!--more-->")
    parts.append(w.paragraph())
    parts.append(f"<h3>{rng.choice(HEADINGS)}</h3>")
    parts.append(f"<blockquote>{w.sentence()}</blockquote>")
    if image is not None:
        parts.append(f'[caption id="attachment_{image["id"]}" align="aligncenter" width="640"]'
                     f'<img class="size-full wp-image-{image["id"]}" src="{image["url"]}" alt="" '
                     f'width="640" height="360" /> Photo: {w.sentence()}[/caption]')
    parts.extend(w.paragraph() for _ in range(rng.randint(1, 3)))
    tag = "ol" if rng.random() < 0.4 else "ul"
    parts.append(f"<{tag}>\n" + "\n".join(f"<li>{w.sentence()}</li>"
                                          for _ in range(rng.randint(3, 4))) + f"\n</{tag}>")
    parts.append(w.paragraph())
    if rng.random() < 0.25:
        parts.append(CONTACT_FORM.format(id=40 + post_id_hint % 7))
    if rng.random() < 0.25:
        parts.append(NEWSLETTER.format(id=78))
    return "\n\n".join(parts)


def posts(count: int, seed: int, images: int) -> list[dict[str, Any]]:
    """``count`` posts, oldest first, as dicts of ``wp_insert_post`` fields plus extras.

    Bodies refer to attachment ``k`` as ``%IMG<k>_ID%`` and ``%IMG<k>_URL%``, and ``featured``
    is ``k + 1`` (0 for none): ``seed.php`` fills in the IDs and URLs WordPress gives them.

    Args:
        count: how many posts.
        seed: the random seed; the same seed always gives the same posts.
        images: how many image attachments exist.
    """
    rng = random.Random(seed)
    pictures: list[dict[str, Any]] = [{"k": k, "id": f"%IMG{k}_ID%", "url": f"%IMG{k}_URL%"}
                                      for k in range(images)]
    beats = sorted(BEATS)
    result: list[dict[str, Any]] = []
    bulk_edit = BASE_DATE - timedelta(days=3, hours=5)  # one "bulk edit": many posts, one second
    for i in range(count):
        beat = beats[rng.randrange(len(beats))]
        w = _Writer(rng, beat)
        image = rng.choice(pictures) if pictures and rng.random() < 0.7 else None
        blocks = rng.random() < 0.6
        body = (_block_body if blocks else _classic_body)(w, i, image)
        date = BASE_DATE - SPACING * (count - 1 - i) - timedelta(minutes=rng.randint(0, 120))
        modified = date
        if rng.random() < 0.12:
            modified = min(BASE_DATE, date + timedelta(hours=rng.randint(1, 400)))
        if i % 25 == 7 and bulk_edit > date:
            modified = bulk_edit
        slots = w.slots()
        categories = [BEAT_CATEGORY[beat]] + (["Opinion"] if rng.random() < 0.15 else [])
        result.append({
            "title": rng.choice(TITLES).format(**slots),
            "content": body,
            "excerpt": w.sentence() if rng.random() < 0.33 else "",
            "author": AUTHORS[rng.randrange(len(AUTHORS))][0],
            "date": date.strftime("%Y-%m-%d %H:%M:%S"),
            "modified": modified.strftime("%Y-%m-%d %H:%M:%S"),
            "categories": categories,
            "tags": rng.sample(TAGS, rng.randint(0, 5)),
            "featured": image["k"] + 1 if image is not None and rng.random() < 0.85 else 0,
            "editor": "block" if blocks else "classic",
        })
    return result
