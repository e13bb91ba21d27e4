"""What the verifier knows about each language, as data: words, number names and patterns.

:mod:`redraft.verify` reads these tables and holds no word lists of its own. Add a language by
adding an entry to each mapping (the English entry is the fallback for a language that has
none). Words are written lower-case and unstemmed; the verifier stems them with the
language's Snowball stemmer, so one form of a word stands for all of its inflections.
"""

from __future__ import annotations

import re

from redraft.vocab import CREDIT_LABELS, CREDIT_PLURAL_LABELS


def _listed(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``: lists stay readable, one long line each."""
    return frozenset(text.split())


def _groups(text: str) -> tuple[frozenset[str], ...]:
    """Synonym groups: one group a line, its words separated by white space."""
    return tuple(frozenset(line.split()) for line in text.strip().splitlines() if line.strip())


# Words that report speech or frame a statement rather than add a fact of their own: a draft
# may write "stated" where the source has "said", or "echoed these sentiments", and still be
# faithful. They are ignored when content words are matched (quotes are checked on their own).
FRAMING: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        say said says saying tell told tells state stated states add added adds note noted
        remark remarked remarking claim claimed insist insisted stress stressed emphasise
        emphasised emphasize emphasized argue argued explain explained announce announced
        declare declared mention mentioned acknowledge acknowledged report reported reveal
        revealed admit admitted suggest suggested echo echoed assert asserted asserting
        comment commented confirm confirmed recall recalled reiterate reiterated affirm
        affirmed describe described call called urge urged warn warned express expressed
        point pointed sentiment sentiments remarks comments statement words view views
        according accordingly also further furthermore meanwhile additionally indeed
        plan plans planned planning intend intends intended expect expected set aim aims
        reportedly allegedly apparently reuters afp ap cnn mailonline
        """
    ),
    "es": _listed(
        """
        decir dijo dice dicen dijeron afirmar afirmó afirma declarar declaró declara señalar
        señaló señala explicar explicó explica añadir añadió añade agregar agregó agrega
        asegurar aseguró asegura indicar indicó indica manifestar manifestó sostener sostuvo
        comentar comentó destacar destacó subrayar subrayó insistir insistió reiterar
        reiteró anunciar anunció advertir advirtió apuntar apuntó expresar expresó recordar
        recordó reconocer reconoció admitir admitió mencionar mencionó confirmar confirmó
        según además asimismo también declaraciones palabras comentarios
        prever prevé planear planea pretender pretende esperar espera
        """
    ),
    "fr": _listed(
        """
        dire dit disent déclarer déclaré déclare affirmer affirmé affirme ajouter ajouté ajoute
        expliquer expliqué explique indiquer indiqué indique souligner souligné souligne
        préciser précisé précise estimer estimé estime assurer assuré assure rappeler
        rappelé rappelle annoncer annoncé annonce insister insisté avertir averti reconnaître
        reconnu admettre admis mentionner mentionné confirmer confirmé commenter commenté
        selon également aussi outre déclarations propos paroles commentaires
        prévoir prévoit compter compte entendre entend
        """
    ),
}

# Groups of words a faithful paraphrase may exchange. Kept small and general: a synonym the
# list lacks costs a sentence a little support, a wrong entry would hide a changed fact.
SYNONYMS: dict[str, tuple[frozenset[str], ...]] = {
    "en": _groups(
        """
        big large huge massive major vast
        small little tiny minor
        rise increase grow climb jump surge boost raise
        fall decrease drop decline slump plunge cut reduce
        begin start launch commence
        end finish conclude complete
        buy purchase acquire
        help aid assist support
        show reveal demonstrate indicate display
        need require
        try attempt seek
        use employ utilise utilize
        child kid
        home house residence
        job work employment
        country nation
        meet meeting talks summit
        kill slay
        die dead death
        arrest detain
        charge accuse
        ban prohibit forbid
        allow permit let
        hit strike
        build construct
        famous renowned celebrated
        choose select pick
        fight battle combat
        quick fast rapid swift
        attack assault
        hospital clinic
        relation relationship ties
        supply supplies delivery
        parade march
        """
    ),
    "es": _groups(
        """
        grande enorme gran importante
        pequeño reducido
        aumentar incrementar subir crecer elevar
        bajar disminuir reducir caer descender recortar
        comenzar empezar iniciar arrancar
        terminar acabar concluir finalizar
        comprar adquirir
        ayudar apoyar asistir
        mostrar revelar demostrar indicar
        necesitar requerir
        intentar tratar procurar
        usar utilizar emplear
        niño menor
        casa vivienda hogar
        trabajo empleo
        país nación
        reunión encuentro cumbre
        matar asesinar
        morir fallecer muerte muerto
        detener arrestar
        acusar imputar
        prohibir vetar
        permitir autorizar
        construir edificar
        elegir escoger seleccionar
        ataque agresión
        """
    ),
    "fr": _groups(
        """
        grand gros important énorme vaste
        petit faible
        augmenter accroître croître hausser grimper
        baisser diminuer réduire chuter reculer
        commencer débuter lancer entamer
        finir terminer achever conclure
        acheter acquérir
        aider soutenir appuyer
        montrer révéler démontrer indiquer
        falloir nécessiter exiger
        essayer tenter chercher
        utiliser employer
        enfant gamin
        maison domicile logement
        travail emploi
        pays nation
        réunion rencontre sommet
        tuer assassiner
        mourir décéder mort décès
        arrêter interpeller
        accuser inculper
        interdire proscrire
        permettre autoriser
        construire bâtir
        choisir sélectionner
        attaque agression
        """
    ),
}

# Negations: a draft sentence that gains or loses one says the opposite of its source. They
# are redraft.vocab's (NEGATIONS, NEGATION_WORD_PATTERNS, NEGATION_SUBSTRINGS), read by
# redraft.text.negated_tokens with strict=True: less the words that are more often something
# else (vocab.NOT_ONLY_NEGATIONS: French "personne", a person).

# Number words and their values ("one" and "a" are left out: they are mostly not numbers).
NUMBER_WORDS: dict[str, dict[str, float]] = {
    "en": {
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "twice": 2, "double": 2,
        "triple": 3, "half": 0.5, "third": 3, "fourth": 4,
        "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
        "twentieth": 20, "hundredth": 100,
    },
    "es": {
        "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
        "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
        "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
        "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100,
        "ciento": 100, "docena": 12, "mitad": 0.5, "doble": 2, "tercero": 3, "tercer": 3,
        "quinto": 5,
    },
    "fr": {
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
        "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60, "cent": 100, "douzaine": 12, "moitié": 0.5,
        "double": 2, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
    },
}

# The characters Chinese and Japanese write numbers in words with (三十, 二百): a character
# outside them is no spelled-out number, so only these leave numbers unchecked in a sentence.
# They are not read as numbers (三 is also in 三星, 十 in 十分 "fully").
NUMERAL_CHARACTERS: dict[str, frozenset[str]] = {
    "zh": frozenset("〇零一二三四五六七八九十百千万萬亿億两兩"),
    "ja": frozenset("〇零一二三四五六七八九十百千万萬億"),
}

# More languages' number words (inflected forms included where the language declines them).
# Left out as mostly something else: Italian "sei" (also "you are").
NUMBER_WORDS |= {
    "de": {
        "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
        "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
        "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
        "neunzig": 90, "hundert": 100, "dutzend": 12, "hälfte": 0.5, "doppelt": 2,
    },
    "it": {
        "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sette": 7, "otto": 8, "nove": 9,
        "dieci": 10, "undici": 11, "dodici": 12, "venti": 20, "trenta": 30, "quaranta": 40,
        "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90,
        "cento": 100, "dozzina": 12, "metà": 0.5, "doppio": 2,
    },
    "pt": {
        "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
        "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "vinte": 20, "trinta": 30,
        "quarenta": 40, "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80,
        "noventa": 90, "cem": 100, "cento": 100, "dúzia": 12, "metade": 0.5, "dobro": 2,
    },
    "ru": {
        "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3, "четыре": 4,
        "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
        "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
        "десяти": 10, "одиннадцать": 11, "двенадцать": 12, "двадцать": 20, "тридцать": 30,
        "сорок": 40, "пятьдесят": 50, "сто": 100, "половина": 0.5, "дважды": 2,
    },
    "id": {
        "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
        "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "setengah": 0.5,
        "separuh": 0.5,
    },
}

# Words that multiply the number before them ("106 billion", "$300million", "3 mil").
SCALES: dict[str, dict[str, float]] = {
    "en": {
        "hundred": 100, "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
        "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    },
    "es": {
        "cientos": 100, "mil": 1e3, "millón": 1e6, "millones": 1e6, "millon": 1e6, "mdd": 1e6,
        "billón": 1e12, "billones": 1e12, "millardo": 1e9, "millardos": 1e9,
    },
    "fr": {
        "cent": 100, "cents": 100, "mille": 1e3, "million": 1e6, "millions": 1e6,
        "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9, "billion": 1e12,
    },
}

# Chinese and Japanese scales, written right after the digits ("3万", "1.2億"), and Indian
# English's lakh and crore.
SCALES["ja"] = {"万": 1e4, "萬": 1e4, "億": 1e8, "兆": 1e12, "千": 1e3}
SCALES["zh"] = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12, "千": 1e3}
SCALES["en"] |= {"lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
SCALES |= {
    "de": {"hundert": 100, "tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6,
           "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "it": {"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "mln": 1e6,
           "miliardo": 1e9, "miliardi": 1e9, "mld": 1e9, "mrd": 1e9},
    "pt": {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "mi": 1e6, "bilhão": 1e9, "bilhões": 1e9,
           "bi": 1e9, "milhar": 1e3, "milhares": 1e3},
    "ru": {"тыс": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6,
           "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9,
           "миллиардов": 1e9, "трлн": 1e12},
    "id": {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "triliun": 1e12},
}

# How many words before a negation may be the ones it negates. Most languages negate before
# the verb ("did not sign"): the verb and its object follow. Verb-final ones negate after the
# verb and its object (Korean 서명하지 않았다, Hindi हस्ताक्षर नहीं किए, Japanese 署名しなかった,
# counted in characters), so the words negated come before it.
NEGATION_REACH_BEFORE: dict[str, int] = {"ko": 4, "hi": 4, "mr": 4, "bn": 4, "ur": 4, "fa": 4,
                                         "tr": 4, "ja": 6}
NEGATION_REACH_DEFAULT = 2

# Words before a number that make it approximate: "about 100" matches 97, "100" does not.
APPROXIMATORS: dict[str, frozenset[str]] = {
    "en": _listed("about around nearly almost roughly some approximately over under more than "
                  "less fewer up to circa estimated"),
    "es": _listed("unos unas cerca casi aproximadamente alrededor más menos hasta"),
    "fr": _listed("environ près presque quelque quelques plus moins jusqu"),
}

# Where a number's decimals start: "3.5" in English, "3,5" in Spanish and French.
DECIMAL_COMMA: dict[str, bool] = {
    "en": False, "es": True, "fr": True, "zh": False, "ja": False, "ko": False, "th": False,
    "hi": False, "ms": False, "tl": False, "he": False,
    **dict.fromkeys(_listed("pt it de nl ru uk pl cs sk sl hr sr bg ro hu fi sv da no nn et lv "
                            "lt el tr id vi ca gl eu az kk be mk sq is"), True),
}

# Capitalised words that are not names by themselves: titles and roles written before a name,
# and the days and months. A draft may add "President" to a name the source gives; the word
# is still matched as a content word, just not reported as an invented name.
NOT_NAMES: dict[str, frozenset[str]] = {
    "en": _listed(
        """
        mr mrs ms miss dr sir lord lady dame president prime minister chancellor king queen
        prince princess pope senator governor general colonel captain sergeant judge
        mayor chief officer director chairman professor doctor secretary state leader
        monday tuesday wednesday thursday friday saturday sunday january february march
        april may june july august september october november december i the a an
        """
    ),
    "es": _listed(
        """
        sr sra don doña presidente presidenta ministro ministra rey reina papa senador
        senadora gobernador gobernadora alcalde alcaldesa general juez jueza doctor doctora
        lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo
        junio julio agosto septiembre setiembre octubre noviembre diciembre el la los las
        """
    ),
    "fr": _listed(
        """
        m mme mlle président présidente ministre premier première roi reine pape sénateur
        sénatrice gouverneur maire général juge docteur lundi mardi mercredi jeudi vendredi
        samedi dimanche janvier février mars avril mai juin juillet août septembre octobre
        novembre décembre le la les
        """
    ),
}

# Lower-case words that may sit inside a multi-word name: "Bank of England", "Juan de la Cruz".
NAME_JOINERS: dict[str, frozenset[str]] = {
    "en": _listed("of the and for de da van von der al bin"),
    "es": _listed("de del la las los y"),
    "fr": _listed("de du des la le les et d"),
}

# Endings that turn a place into its people or adjective (Russia/Russian, Japan/Japanese,
# España/español): a name and its demonym share what is left.
DEMONYM_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ians", "ian", "ese", "ans", "an", "ish", "is", "i", "n", "s"),
    "es": ("ianos", "ianas", "iano", "iana", "eños", "eñas", "eño", "eña", "eses", "esa",
           "és", "ense", "enses", "os", "as", "o", "a"),
    "fr": ("iennes", "iens", "ienne", "ien", "aises", "aise", "ais", "oises", "oise", "ois",
           "es", "e", "s"),
}

# A final line naming the draft's source: "Source: ...", "Fuente: ...", "Source : ...".
_CREDIT_WORDS = sorted({label.strip().rstrip(":：").strip()
                        for labels in (CREDIT_LABELS, CREDIT_PLURAL_LABELS)
                        for label in labels.values()})
CREDIT_LINE = re.compile(
    r"^\s*(?:sources?|fuentes?|via|vía|origen|d'après|quelle|fonte|"
    + "|".join(map(re.escape, _CREDIT_WORDS)) + r")\s*[:：]\s*\S",
    re.IGNORECASE,
)
