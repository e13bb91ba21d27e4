"""Per-language word lists, as data: stop words, letters, back-references, negations, titles, abbreviations.

Add a language by adding an entry to each mapping; :mod:`redraft.text` picks it up. Lists are
compared lower-case; abbreviations are written without their final period.
"""

from __future__ import annotations


def _listed(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``: lists stay readable, one long line each."""
    return frozenset(text.split())


# Varieties the identifier tells apart that redraft treats as their ISO 639-1 language: Wu and
# Cantonese are written Chinese, Extremaduran reads as Spanish, Ligurian and Venetian as Italian,
# Egyptian and Moroccan Arabic as Arabic, Southern Uzbek as Uzbek. Their evidence adds up.
VARIETIES = {
    "wuu": "zh", "yue": "zh", "ext": "es", "an": "es", "lij": "it", "vec": "it", "arz": "ar",
    "ary": "ar", "uzs": "uz", "gcf": "fr", "gcr": "fr", "wa": "fr", "ltg": "lv", "nn": "no",
}

# Scripts that write no spaces between words (Chinese ideographs, Japanese kana): each
# character counts as one word in lengths and budgets, and is one token in overlap measures.
UNSPACED_CHARS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A counted word where such scripts appear: one such character, or a run of other characters
# that are neither spaces nor CJK punctuation (so "。" or "、" alone is no word).
COUNTED_WORD = rf"[{UNSPACED_CHARS}]|[^\s{UNSPACED_CHARS}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+"

# Languages with curated word lists (stop words, negations, titles, verifier rules).
LANGUAGES = ("en", "es", "fr")

# Every ISO 639-1 code the language identifier (py3langid) knows: what ``--language`` accepts.
# Kept here as data so that reading the settings does not load the model; a test checks it.
LANGUAGE_CODES = _listed(
    """
    af am an ar as az ba be bg bn br bs ca cs cy da de dz el en eo es et eu fa fi fo fr fy ga gd
    gl gu ha he hi hr ht hu hy id ig is it ja jv ka kk km kn ko ku ky la lb lg ln lo lt lv mg mk
    ml mn mr ms mt my ne nl nn no oc om or pa pl ps pt qu ro ru rw sa se si sk sl sn so sq sr st
    sv sw ta te tg th tk tl tr tt ug uk ur uz vi vo wa xh yo zh zu
    """
)

# Letters (and marks) that one of the languages uses and the others do not: evidence for it.
LETTERS = {"en": "", "es": "ñ¿¡áíóú", "fr": "èêëàâçùûôîœ"}

# Snowball stemmer names for each language Snowball has (PyStemmer's C build runs them).
# Languages not listed (Chinese, Japanese, Korean, Thai, Vietnamese, ...) are not stemmed.
STEMMERS = {
    "en": "english", "es": "spanish", "fr": "french", "ar": "arabic", "hy": "armenian",
    "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch", "et": "estonian",
    "fi": "finnish", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

# The label of the credit line a draft ends with, in the article's language ("Source: ...").
CREDIT_LABELS = {
    "en": "Source: ", "es": "Fuente: ", "fr": "Source : ", "pt": "Fonte: ", "it": "Fonte: ",
    "de": "Quelle: ", "nl": "Bron: ", "ru": "Источник: ", "uk": "Джерело: ", "pl": "Źródło: ",
    "id": "Sumber: ", "ms": "Sumber: ", "vi": "Nguồn: ", "tr": "Kaynak: ", "ja": "出典: ",
    "zh": "来源：", "ko": "출처: ", "ca": "Font: ", "sv": "Källa: ", "da": "Kilde: ",
    "no": "Kilde: ", "cs": "Zdroj: ", "ro": "Sursa: ", "el": "Πηγή: ", "ar": "المصدر: ",
    "hi": "स्रोत: ", "th": "ที่มา: ",
}
# The label of a credit line naming several outlets ("Sources: A, B and C"); a language whose
# word has no plural (Indonesian "Sumber", Japanese "出典") repeats its singular label.
CREDIT_PLURAL_LABELS = {
    "en": "Sources: ", "es": "Fuentes: ", "fr": "Sources : ", "pt": "Fontes: ", "it": "Fonti: ",
    "de": "Quellen: ", "nl": "Bronnen: ", "ru": "Источники: ", "uk": "Джерела: ",
    "pl": "Źródła: ", "id": "Sumber: ", "ms": "Sumber: ", "vi": "Nguồn: ", "tr": "Kaynaklar: ",
    "ja": "出典: ", "zh": "来源：", "ko": "출처: ", "ca": "Fonts: ", "sv": "Källor: ",
    "da": "Kilder: ", "no": "Kilder: ", "cs": "Zdroje: ", "ro": "Surse: ", "el": "Πηγές: ",
    "ar": "المصادر: ", "hi": "स्रोत: ", "th": "ที่มา: ",
}
# How a credit line lists outlets: (between items, before the last), "A, B and C" in English.
CREDIT_LIST_WORDS = {
    "en": (", ", " and "), "es": (", ", " y "), "fr": (", ", " et "), "pt": (", ", " e "),
    "it": (", ", " e "), "de": (", ", " und "), "nl": (", ", " en "), "ru": (", ", " и "),
    "uk": (", ", " і "), "pl": (", ", " i "), "id": (", ", " dan "), "ms": (", ", " dan "),
    "vi": (", ", " và "), "tr": (", ", " ve "), "ja": ("、", "、"), "zh": ("、", "和"),
    "ko": (", ", " 및 "), "ca": (", ", " i "), "sv": (", ", " och "), "da": (", ", " og "),
    "no": (", ", " og "), "cs": (", ", " a "), "ro": (", ", " și "), "el": (", ", " και "),
    "ar": ("، ", " و"), "hi": (", ", " और "), "th": (" ", " และ "),
}


# Function words: they carry no topic, so centrality and overlap measures ignore them.
# Negations stay in the lists (they are frequent), so a verifier must check them on its own.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        a about above after again against all also am an and any are aren as at be because
        been before being below between both but by can cannot could couldn did didn do does
        doesn doing don down during each either else ever few for from further had hadn has
        hasn have haven having he her here hers herself him himself his how however i if in
        into is isn it its itself just least less let like ll may me might more most much must
        mustn my myself neither no nor not now o of off on once only or other ought our ours
        ourselves out over own per quite rather re s same shall shan she should shouldn since
        so some still such t than that the their theirs them themselves then there these they
        this those though through thus to too under until up upon us ve very via was wasn we
        were weren what when where whether which while who whom whose why will with within
        without won would wouldn yet you your yours yourself yourselves d m y
        among amongst around across along although another anyone anything became become
        becomes every everyone everything instead onto others perhaps several someone
        something whatever whenever wherever whoever whole
        """
    ),
    "es": _listed(
        """
        a al algo alguna algunas alguno algunos ante antes aquel aquella aquellas aquello
        aquellos aquí aqui allí así aún bajo bien cada casi como cómo con contra cual cuál
        cuales cualquier cuando cuándo cuanto de del desde donde dónde dos durante e el él
        ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta está
        estaba estaban están estar este esto estos estoy fue fueron fui fuera ha había
        habían han has hasta hay he la las le les lo los más me mi mí mis mismo misma
        mismos mismas muy nada ni no nos nosotros nosotras nuestra nuestras nuestro
        nuestros o os otra otras otro otros para pero poco por porque pues que qué quien
        quién quienes se sea sean ser será serán si sí sido siendo sin sino sobre su sus
        también tan tanto te ti tiene tienen todo toda todos todas tu tú tus u un una unas
        uno unos usted ustedes y ya yo son hacia según tras mientras cuya cuyo cuyas cuyos
        aunque donde dentro sólo solo ahora luego después entonces además incluso hace
        haber habrá hubo puede pueden estos estas esos esas vez
        """
    ),
    "fr": _listed(
        """
        à a afin ai aie aient ait alors au aucun aucune aussi autre autres aux avait avaient
        avec avoir c ça car ce ceci cela celle celles celui cependant ces cet cette ceux
        chaque chez comme comment d dans de des donc dont du elle elles en encore entre es
        est et été être eu eux fait font hors il ils j je jusqu l la là le les leur leurs lui
        m ma mais me même mêmes mes moi mon n ne ni nos notre nous on ont ou où par parce
        pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans
        se sera seront ses si sien son sont sous sur t ta te tes toi ton tous tout toute
        toutes très tu un une vos votre vous y étaient était étant selon vers lors dès déjà
        ainsi puis depuis pendant avant après contre aurait serait sera doit lorsqu puisqu
        quelqu toujours ici
        """
    ),
}

# Words that, opening a sentence, refer to the sentence before: pronouns, demonstratives and
# connectives. A condenser keeps such a sentence only after the one it leans on.
BACK_REFERENCES: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        he she it they him her his hers its their theirs them this these those such but
        however also meanwhile moreover furthermore nevertheless nonetheless instead
        otherwise still yet besides then thus therefore hence and or so
        """
    ),
    "es": _listed(
        """
        él ella ellos ellas esto este esta estos estas eso ese esa esos esas aquello su sus
        pero además también asimismo entonces allí ahí así y o incluso luego
        """
    ),
    "fr": _listed(
        """
        il elle ils elles ce cet cette ces cela ça ceci celui celle ceux celles son sa ses
        leur leurs mais cependant toutefois pourtant aussi puis alors là ainsi et ou
        néanmoins également donc
        """
    ),
}

# Negation words: an aside holding one is not deleted, since dropping it could flip a claim.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        not no never nor neither none nobody nothing nowhere without cannot t nt isn aren wasn
        weren don doesn didn hasn haven hadn won wouldn shouldn couldn mustn
        """
    ),
    "es": _listed("no ni nunca jamás sin nada nadie ninguno ninguna ningún tampoco"),
    "fr": _listed("ne n pas non jamais sans aucun aucune rien personne ni nul nulle guère nullement"),
    "pt": _listed("não nao nem nunca jamais sem nada ninguém nenhum nenhuma tampouco"),
    "it": _listed("non né mai senza niente nulla nessuno nessuna neanche nemmeno neppure"),
    "de": _listed("nicht nie niemals kein keine keinen keinem keiner keines ohne nichts niemand "
                  "weder nirgends"),
    "nl": _listed("niet nooit geen zonder niets niemand noch nergens"),
    "ru": _listed("не нет ни никогда без ничего никто ничто никакой никакая никакие нигде нельзя"),
    "uk": _listed("не немає ні ніколи без нічого ніхто жоден ніде"),
    "pl": _listed("nie nigdy bez nic nikt żaden żadna żadne ani nigdzie"),
    "id": _listed("tidak tak bukan belum tanpa jangan tiada takkan"),
    "ms": _listed("tidak tak bukan belum tanpa jangan tiada"),
    "vi": _listed("không chẳng chưa chả đừng chớ"),
    "ko": _listed("안 못 않 않는다 않았다 않은 없다 없는 없이 아니 아니다 아닌 말라"),
    "tr": _listed("değil yok hiç hiçbir asla olmadan"),
    # Chinese and Japanese are read one character at a time: the characters that negate.
    "zh": _listed("不 没 無 无 未 非 别 勿 否"),
    "ja": _listed("無 未 不 非 否"),
}

# Words ending in a period that come before a name: a sentence never ends on them.
TITLES: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        mr mrs ms messrs dr prof rev hon gen col lt sgt capt cmdr adm gov sen rep pres supt
        insp det cpl pvt maj brig st mt ft
        """
    ),
    "es": _listed("sr sra srta sres sras dr dra lic ing arq prof profa d dña sto sta"),
    "fr": _listed("m mm mme mmes mlle mlles dr pr me mgr st ste"),
}

# Other abbreviations: they end a sentence only when a capitalised stop word follows them.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": TITLES["en"]
    | _listed(
        """
        sr jr inc corp ltd co bros vs etc e.g i.e approx dept est fig no nos vol jan feb mar
        apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m d.c ave blvd rd univ
        assn
        """
    ),
    "es": TITLES["es"]
    | _listed(
        """
        ud uds vd vds pág págs núm art arts av avda etc aprox cía dpto gral ej p.ej cap tel
        admón ee.uu e.e.u.u a.c d.c s.a a.m p.m
        """
    ),
    "fr": TITLES["fr"]
    | _listed(
        """
        etc cf p.ex ex av bd vol chap janv févr avr juil sept oct nov déc n° no art env
        """
    ),
}

# --- discourse: what a sentence needs from its neighbours ------------------------------------

# Openings of two to four words that point back to what came before ("That said", "Hours
# later", "Dicho esto", "C'est"), compared on lower-case words; single words are in
# BACK_REFERENCES.
BACK_PHRASES: dict[str, frozenset[str]] = {
    "en": frozenset({
        "that said", "as a result", "in addition", "in response", "on the other hand",
        "for example", "for instance", "in fact", "even so", "at the same time", "by contrast",
        "in contrast", "after that", "the latter", "the former", "hours later", "minutes later",
        "days later", "weeks later", "months later", "years later", "moments later",
        "a day later", "a week later", "shortly after", "soon after", "the next day",
        "the following day", "the same day", "in turn", "to that end", "what's more",
        "that's why", "that is why", "this is why", "which is why", "not only that",
    }),
    "es": frozenset({
        "sin embargo", "no obstante", "dicho esto", "por eso", "por ello", "por lo tanto",
        "en cambio", "a su vez", "por su parte", "horas después", "días después",
        "minutos después", "semanas después", "meses después", "años después", "más tarde",
        "al día siguiente", "poco después", "por otra parte", "por otro lado", "de hecho",
        "es decir", "a raíz de ello", "tras ello", "con todo", "aun así", "al respecto",
        "en ese sentido", "en este sentido", "de ahí",
    }),
    "fr": frozenset({
        "c'est", "c’est", "c'était", "c’était", "plus tard", "le lendemain", "peu après",
        "en revanche", "par ailleurs", "de son côté", "de leur côté", "cela dit", "pour autant",
        "en effet", "quelques heures plus tard", "quelques jours plus tard", "heures plus tard",
        "jours plus tard", "par conséquent", "de plus", "en outre", "d'ailleurs", "d’ailleurs",
        "à ce titre", "dans ce cadre", "à cet égard", "pour sa part",
    }),
}

# Demonstratives: before a noun of DEICTIC_NOUNS they name a time, not the sentence before.
DEMONSTRATIVES: dict[str, frozenset[str]] = {
    "en": _listed("this these that those"),
    "es": _listed("este esta estos estas ese esa esos esas aquel aquella"),
    "fr": _listed("ce cet cette ces"),
}

# Openings that start with a back-reference word yet point nowhere: "Alors que" is "while",
# "Así como" is "just as", "So far" is "until now".
NOT_BACK_PHRASES: dict[str, frozenset[str]] = {
    "en": frozenset({"so far", "such as", "then again"}),
    "es": frozenset({"así como", "así que", "entonces ya"}),
    "fr": frozenset({"alors que", "ainsi que", "aussi bien", "puis il"}),
}

# A demonstrative followed by one of these is a time or place of its own ("This year", "Esta
# semana", "Cette année"), not a pointer to the sentence before.
DEICTIC_NOUNS: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        year years week weeks month months morning afternoon evening weekend season summer
        winter spring autumn fall time decade century spring week's year's
        """
    ),
    "es": _listed("año años semana semanas mes meses mañana tarde noche fin temporada verano invierno vez"),
    "fr": _listed("année années semaine semaines mois matin soir week-end saison été hiver fois an"),
}

# Words that, outside the quotation marks of a sentence, name who is speaking: a quotation
# in such a sentence keeps its speaker.
ATTRIBUTION: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        said says say told tells added adds according stated states explained explains asked
        asks wrote writes tweeted posted insisted insists warned warns claimed claims argued
        argues noted notes replied replies declared declares announced announces continued
        recalled admitted admits acknowledged suggested suggests commented comments
        responded responds concluded observed urged cautioned quipped testified alleged
        alleges believes believed thinks thought
        """
    ),
    "es": _listed(
        """
        dijo dice afirmó afirma aseguró asegura señaló señala explicó explica añadió añade
        agregó agrega indicó indica declaró declara manifestó manifiesta sostuvo sostiene
        expresó expresa cuestionó cuestiona advirtió advierte según subrayó subraya destacó
        destaca apuntó apunta puntualizó comentó comenta denunció denuncia reiteró reitera
        escribió escribe preguntó pregunta respondió responde insistió insiste recordó
        recuerda concluyó aseveró criticó critica
        """
    ),
    "fr": _listed(
        """
        dit déclaré déclare affirmé affirme selon expliqué explique ajouté ajoute indiqué
        indique estime estimé souligné souligne précisé précise assuré assure rappelé rappelle
        confie confié raconte raconté écrit écrivait lance lancé insiste insisté avertit
        averti martèle martelé conclut répond répondu interroge demande demandé
        """
    ),
}

# Endings that announce something after them: a sentence ending so needs what follows.
SIGNPOST_ENDINGS: dict[str, frozenset[str]] = {
    "en": frozenset({"the following", "below", "as follows", "here's how", "here is how",
                     "here are", "here's", "including", "such as"}),
    "es": frozenset({"a continuación", "lo siguiente", "los siguientes", "las siguientes",
                     "siguientes", "abajo", "como sigue", "más abajo"}),
    "fr": frozenset({"ci-dessous", "suivant", "suivants", "suivantes", "suivante", "voici",
                     "comme suit", "plus bas"}),
}
