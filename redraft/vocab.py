"""Per-language word lists, as data: stop words and abbreviations that do not end a sentence.

Add a language by adding an entry to each mapping; :mod:`redraft.text` picks it up.
"""

from __future__ import annotations

# Languages redraft condenses and verifies; detection only chooses among these.
LANGUAGES = ("en", "es", "fr")

# Snowball stemmer names for each language.
STEMMERS = {"en": "english", "es": "spanish", "fr": "french"}

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
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
        without won would wouldn yet you your yours yourself yourselves d m y also
        """.split()
    ),
    "es": frozenset(
        """
        a al algo algunas algunos ante antes aquel aquella aquellas aquello aquellos aqui así
        aún bajo bien cada casi como con contra cual cuales cualquier cuando cuanto de del
        desde donde dos durante e el él ella ellas ello ellos en entre era eran es esa esas ese
        eso esos esta está estaba estaban están estar este esto estos fue fueron fui ha había
        habían han has hasta hay he la las le les lo los más me mi mis mismo muy nada ni no nos
        nosotros nuestra nuestras nuestro nuestros o os otra otras otro otros para pero poco
        por porque pues que qué quien quienes se sea ser será si sí sido sin sino sobre su sus
        también tan tanto te ti tiene tienen todo todos tu tus u un una unas uno unos usted
        ustedes y ya yo son sea sean fue era ser hacia según tras mientras donde cuya cuyo
        """.split()
    ),
    "fr": frozenset(
        """
        à a afin ai aie aient ait alors au aucun aucune aussi autre autres aux avait avaient
        avec avoir c ça car ce ceci cela celle celles celui cependant ces cet cette ceux chaque
        chez comme comment d dans de des donc dont du elle elles en encore entre es est et été
        être eu eux fait font hors il ils j je jusqu l la là le les leur leurs lui m ma mais me
        même mes moi mon n ne ni nos notre nous on ont ou où par parce pas peu peut plus pour
        pourquoi qu quand que quel quelle quelles quels qui s sa sans se sera seront ses si
        sien son sont sous sur t ta te tes toi ton tous tout toute toutes très tu un une vos
        votre vous y été étaient était étant selon vers lors dès déjà ainsi aussi puis
        """.split()
    ),
}

# Words ending in a period that rarely end a sentence (compared lower-case, without the dot).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """
        mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
        supt insp det cpl pvt maj brig messrs inc corp ltd co bros vs etc e.g i.e approx dept
        est fig no nos vol jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u
        a.m p.m d.c ave blvd rd univ assn
        """.split()
    ),
    "es": frozenset(
        """
        sr sra srta sres dr dra lic ing arq ud uds vd vds pág págs núm art arts av avda etc
        aprox cía dpto gral ej p.ej cap tel admón ee.uu e.e.u.u a.c d.c s.a
        """.split()
    ),
    "fr": frozenset(
        """
        m mm mme mmes mlle mlles dr pr me mgr st ste etc cf p.ex ex av bd vol chap janv févr
        avr juil sept oct nov déc n° no art env
        """.split()
    ),
}
