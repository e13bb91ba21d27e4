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

# Scripts that write no spaces between words and whose words are more than one character
# (Thai, Lao, Khmer, Myanmar): their word and sentence boundaries come from ICU's dictionaries
# (redraft.text.segment); without ICU they are cut at white space only.
SEGMENTED_CHARS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff"
# Where a sentence ends in Khmer (។ ៕) and Myanmar (။): no space need follow.
SEGMENTED_SENTENCE_ENDS = "\u17d4\u17d5\u104b"

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
    # Korean negates with words of their own (안, 못) and with inflected verbs (않다, 없다,
    # 아니다): the inflections are matched by NEGATION_WORD_PATTERNS; these are the bare forms.
    "ko": _listed("안 못 않 않다 없다 없이 아니 아니다 아닌 말라 마라"),
    # Turkish negates verbs with a suffix (-mA-): NEGATION_WORD_PATTERNS; these are the words.
    "tr": _listed("değil değildir değildi yok yoktur yoktu hiç hiçbir hiçbiri asla kimse"),
    "th": _listed("ไม่ มิ ไร้ ปราศจาก อย่า มิได้ ไม่ได้ ไม่มี ไม่เคย"),
    "lo": _listed("ບໍ່ ບໍ່ໄດ້ ບໍ່ມີ ຢ່າ"),
    "km": _listed("មិន គ្មាន កុំ ពុំ ឥត"),
    # Arabic writes "and"/"so" onto the word (ولا, فلم): those forms are listed too. "ما" (also
    # "what") and "غير" (also "other") are left out: they are mostly something else.
    "ar": _listed("لا لم لن ليس ليست ليسوا لست ولا ولم ولن فلا فلم فلن وليس بدون دون أبدا ابدا "
                  "بلا"),
    "fa": _listed("نه نمی نیست نبود هرگز بدون بی"),
    "ur": _listed("نہیں نہ مت بغیر کبھی"),
    # "ना" (also a question tag) is left out.
    "hi": _listed("नहीं नही न मत बिना कभी"),
    "mr": _listed("नाही नको न"),
    "bn": _listed("না নয় নেই নি কখনো"),
    # Hebrew writes "and"/"that" onto the word (ולא, שלא); "אל" (also "to") is left out.
    "he": _listed("לא אין אינו אינה אינם אינן ולא שלא ואין שאין בלי ללא מעולם שום"),
    "el": _listed("δεν μην μη ούτε ποτέ χωρίς τίποτα κανένας καμία κανένα"),
    "cs": _listed("ne nikdy bez nic nikdo žádný žádná žádné ani"),
    "sv": _listed("inte ej aldrig utan ingen inget inga ingenting"),
    "da": _listed("ikke aldrig uden ingen intet ingenting"),
    "no": _listed("ikke aldri uten ingen ikkje inga ingenting"),
    "ro": _listed("nu nici niciodată fără nimic nimeni niciun nicio"),
    "ca": _listed("no ni mai sense res ningú tampoc"),
    # Chinese and Japanese write no spaces: their negations are found in running text by
    # NEGATION_SUBSTRINGS (with the words in which the same characters negate nothing).
    "zh": _listed("不 没 沒 無 无 未 非 别 別 勿 否 莫 甭"),
    "ja": _listed("無 未 不 非 否"),
}

# Negation words that are more often something else: an aside holding one is kept, but a
# verifier does not read them as negations ("personne" is a person, "non" starts compounds).
NOT_ONLY_NEGATIONS: dict[str, frozenset[str]] = {"fr": _listed("personne nul nulle non")}

# Negations found inside running text, for scripts without spaces: (markers, exceptions). A
# marker is a regular expression; an exception is a word holding a marker's characters that
# negates nothing ("非常" is "very", "未来" the future, "少ない" "few", "かもしれない"
# "maybe"). Exceptions are tried first at each position, so they hide the markers inside them.
NEGATION_SUBSTRINGS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "zh": (
        ("没有", "沒有", "不", "没", "沒", "未", "非", "别", "別", "勿", "無", "无", "否", "莫", "甭"),
        _listed(
            """
            非常 非洲 特别 特別 别人 別人 别的 別的 别墅 别名 区别 區別 分别 分別 告别 告別
            级别 級別 类别 類別 性别 性別 个别 個別 识别 識別 辨别 差别 差別 鉴别 未来 未來
            不过 不過 不断 不斷 不仅 不僅 不久 不少 不但 不管 不论 不論 不得不 不动产 不動產
            无论 無論 否则 否則 是否 莫斯科 没收 沒收 除非
            """
        ),
    ),
    # The verb endings (ない, なかった, なく, なければ, ません, ではない) and the classical ones
    # (ず, ぬ after a verb's a-row stem: 知らず, 行かぬ), then the negating prefixes.
    "ja": (
        (
            "な(?:い|かった|かっ|く|けれ|きゃ)",
            "ません",
            "(?<=[\u4e00-\u9fff][あかさたなばまらわがざだ])[ずぬ]",
            "せず",
            "不", "無", "未", "非", "否",
        ),
        _listed(
            """
            少な 危な 切な 汚な なかなか 間もなく 程なく すみません すいません しれな しれま 未来 非常
            不動産
            """
        ),
    ),
}

# Negations that are inflections, matched against a whole lower-case word (never against a
# capitalised one: a name such as "Yılmaz" ends like a negated verb).
# - Korean: 않다 and 없다 in every inflection (않았다, 않는, 없습니다, 없었다), 아니다 (but not
#   아니면, "or else"), 못하다 (못했다, 못한).
# - Turkish: the verb suffix -mA- before a tense: -mIyor (gelmiyor), -mAdI (gelmedi, yapmadık),
#   -mAmIş (gelmemiş), -mAz (gelmez), -mAyAcAk (gelmeyecek), -mAyAn (olmayan), -mAdAn
#   (olmadan), -mAmAlI (gelmemeli). Not handled: the bare -mA (yapma: "don't do" or "doing")
#   and -mAsIn, which are as often something else, and -sIz ("without", sorunsuz).
NEGATION_WORD_PATTERNS: dict[str, str] = {
    "ko": r"않\w*|없\w*|아니(?!면)\w*|아닌\w*|아닙\w*|못(?:하\w*|했\w*|한|할)",
    "tr": (r"(?!komed)\w+m(?:[ıiuü]yor\w*|[ae](?:d[ıiuü]\w*|m[ıiuü]ş\w*|z\w*|y[ae]c[ae]k\w*"
           r"|y[ae]n\w*|d[ae]n|m[ae]l[ıi]\w*))"),
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
    # Titles, places and units written short in news in these languages ("TP. Hồ Chí Minh",
    # "Sr. Silva", "Dr. Müller", "z. B.", "Jl. Sudirman").
    "vi": _listed("tp tx ph th q p ths ts pgs gs bs ks"),
    "pt": _listed("sr sra srs dr dra prof profa av pág nº n.º etc eng sto sta"),
    "it": _listed("sig sigg dott dott.ssa prof avv ing on pag ecc"),
    "de": _listed("dr prof bzw z.b u.a usw nr str ca evtl ggf vgl hr fr"),
    "id": _listed("dr ir jl prof drs no tn ny"),
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

# Languages whose quotations open low and close high („…“); elsewhere „ closes with ” (Polish,
# Romanian, Hungarian, Dutch). What a draft that closes a quotation itself writes.
LOW_QUOTE_CLOSES_HIGH = _listed("de cs sk sl is lt lv et bg ka")

# Endings that announce something after them: a sentence ending so needs what follows.
SIGNPOST_ENDINGS: dict[str, frozenset[str]] = {
    "en": frozenset({"the following", "below", "as follows", "here's how", "here is how",
                     "here are", "here's", "including", "such as"}),
    "es": frozenset({"a continuación", "lo siguiente", "los siguientes", "las siguientes",
                     "siguientes", "abajo", "como sigue", "más abajo"}),
    "fr": frozenset({"ci-dessous", "suivant", "suivants", "suivantes", "suivante", "voici",
                     "comme suit", "plus bas"}),
}


# --- telling a language without the model (redraft.text.lang) ----------------------------------

# Frequent words of each language that its neighbours do not write ("y", "muy", "también" but not
# "el", "los", "del", "para", which Catalan, Occitan and Galician write too; "et", "dans"; "the",
# "which"): at least three of them, more than of either other list, make a text plainly that
# language. No word is on two lists.
MARKERS: dict[str, frozenset[str]] = {
    "en": _listed(
        "about after also and are been but by could for from has have into it its not said she "
        "should than that the their there these they this were which who with would"
    ),
    "es": _listed(
        "además ahora aunque ayer bajo cual cuales cuando cuya cuyas cuyo cuyos cómo dijo donde "
        "dónde ellas ellos embargo entonces esa esas ese eso esos estaba esto están fue fueron "
        "había hace hacia hasta hay hecho hemos hoy mientras mucha muchas mucho muchos muy más "
        "nosotros nuestra nuestras nuestro nuestros otra otras otro otros pero puede pueden quien "
        "quienes qué según siempre sino sus también tiene tienen unas unos usted ustedes y ya él"
    ),
    "fr": _listed(
        "ainsi alors après au aussi aux avait avant avec avoir ceci cela celle celui ces cette "
        "chez comme dans depuis des deux donc du déjà elle elles encore et faire fait ici ils "
        "leur leurs lors mais notre nous ont où pendant peut pour puis qu selon sera seront ses "
        "sont sous sur toujours tous tout trois très une votre vous était été être"
    ),
}

# Frequent words of each language's neighbours that it does not write: Pidgin, Patois, Irish,
# Scottish Gaelic and Welsh beside English; Portuguese, Galician, Catalan, Occitan, Italian,
# Esperanto, Asturian, Guarani and Latin beside Spanish; Spanish, Catalan, Occitan, Italian,
# Portuguese, Esperanto and Latin beside French. A few of them make a text mixed, or another
# language's: the model decides.
NEIGHBOUR_WORDS: dict[str, frozenset[str]] = {
    "en": _listed(
        "abi ac ag agus aig atá bha bhí chun comot dem dey di faoi fi inna likkle mae nach nuh "
        "níl oga pickney pikin roedd sabi sef seh sé sí tha tá una unu wahala wedi weh wetin wey "
        "yn yr yuh"
    ),
    "es": _listed(
        "ab ainda als amb anche ankaŭ ao aos aquest aquesta aquò atque autem avei aŭ che coa cos "
        "cunha das degli della dels di dins do dun dunha e eius els em enim esse estis estos foi "
        "gli gui havia hui hína i il ili jam já kaj katu ke kiu kiuj ko kuéra mai mais mba moi "
        "muito máis més na ndaje nde ndive nel niko non nun nur não onte ore pe pela pelo per "
        "perquè però più pli pola porã pri quae quod rupi sed seu seva sono sunt são tamén tiu "
        "tiuj tre um uma unha upe xa ye à às ço è é és ñande ĉi ĉu ŝi"
    ),
    "fr": _listed(
        "ab amb aquò atque autem che con degli del della dels di dins e eius el els em enim esse "
        "estas gli kaj kiu las lo los muy nel não para per pero pli por quae quod sed sono sunt "
        "uma una ço è és"
    ),
}

# Russian's small words: Kazakh, Kyrgyz, Uzbek or Mongolian typed with Russian letters alone
# (without their own) has none of them.
RUSSIAN_WORDS = _listed(
    "бы был была были в во все всё вы для до его если еще ещё её же и из или их к как которая "
    "которые который мы не но он она они от по после при с со так также тем только том уже что "
    "чтобы эта эти это этот я"
)
