"""Answer scales, missing codes and topics of the demo survey, in English, Albanian and Serbian.

Every attitude scale lists its most positive (or strongest) answer first as code 1, so the
generator can map "higher latent attitude" to "lower code" the same way for every question.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.codebook import Text, Topic, Value
from ..domain.nets import Net

DONT_KNOW = 98
REFUSED = 99


def tx(en: str, sq: str, sr: str) -> Text:
    """A label in the three languages of the demo."""
    return Text({"en": en, "sq": sq, "sr": sr})


MISSING_VALUES: tuple[Value, ...] = (
    Value(DONT_KNOW, tx("Don't know", "Nuk e di", "Ne znam")),
    Value(REFUSED, tx("Refused", "Refuzon të përgjigjet", "Odbija da odgovori")),
)


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale: code 1 is the top of the latent attitude."""

    id: str
    labels: tuple[Text, ...]

    @property
    def size(self) -> int:
        return len(self.labels)

    def values(self) -> tuple[Value, ...]:
        own = tuple(Value(i + 1, label) for i, label in enumerate(self.labels))
        return own + MISSING_VALUES


def _scale(id_: str, *labels: tuple[str, str, str]) -> Scale:
    return Scale(id_, tuple(tx(*lab) for lab in labels))


TRUST4 = _scale(
    "trust4",
    ("A great deal of trust", "Shumë besim", "Veliko poverenje"),
    ("Some trust", "Disi besim", "Delimično poverenje"),
    ("Little trust", "Pak besim", "Malo poverenja"),
    ("No trust at all", "Aspak besim", "Nimalo poverenja"),
)
# Nets of the trust and agreement scales, as survey reports quote them.
TRUST_NETS = (
    Net("trust", tx("Trust (a great deal or some)", "Besim (shumë ose disi)", "Poverenje (veliko ili delimično)"),
        (1, 2)),
    Net("distrust", tx("Little or no trust", "Pak ose aspak besim", "Malo ili nimalo poverenja"), (3, 4)),
)
SAFE4 = _scale(
    "safe4",
    ("Very safe", "Shumë i/e sigurt", "Veoma bezbedno"),
    ("Fairly safe", "Mjaft i/e sigurt", "Prilično bezbedno"),
    ("Not very safe", "Jo shumë i/e sigurt", "Ne baš bezbedno"),
    ("Not at all safe", "Aspak i/e sigurt", "Nimalo bezbedno"),
)
CHANGE5 = _scale(
    "change5",
    ("Much safer", "Shumë më i/e sigurt", "Mnogo bezbednije"),
    ("Somewhat safer", "Disi më i/e sigurt", "Nešto bezbednije"),
    ("About the same", "Njësoj", "Otprilike isto"),
    ("Somewhat less safe", "Disi më pak i/e sigurt", "Nešto manje bezbedno"),
    ("Much less safe", "Shumë më pak i/e sigurt", "Mnogo manje bezbedno"),
)
AGREE4 = _scale(
    "agree4",
    ("Completely agree", "Pajtohem plotësisht", "Potpuno se slažem"),
    ("Mostly agree", "Kryesisht pajtohem", "Uglavnom se slažem"),
    ("Mostly disagree", "Kryesisht nuk pajtohem", "Uglavnom se ne slažem"),
    ("Completely disagree", "Nuk pajtohem aspak", "Uopšte se ne slažem"),
)
AGREE_NETS = (
    Net("agree", tx("Agree (completely or mostly)", "Pajtohen (plotësisht ose kryesisht)",
                    "Slažu se (potpuno ili uglavnom)"), (1, 2)),
    Net("disagree", tx("Disagree (mostly or completely)", "Nuk pajtohen (kryesisht ose aspak)",
                       "Ne slažu se (uglavnom ili uopšte)"), (3, 4)),
)
EXTENT4 = _scale(
    "extent4",
    ("To a great extent", "Në masë të madhe", "U velikoj meri"),
    ("To some extent", "Deri diku", "Donekle"),
    ("To a small extent", "Në masë të vogël", "U maloj meri"),
    ("Not at all", "Aspak", "Nimalo"),
)
SUPPORT4 = _scale(
    "support4",
    ("Strongly support", "E mbështes fuqishëm", "Snažno podržavam"),
    ("Somewhat support", "E mbështes disi", "Donekle podržavam"),
    ("Somewhat oppose", "E kundërshtoj disi", "Donekle se protivim"),
    ("Strongly oppose", "E kundërshtoj fuqishëm", "Snažno se protivim"),
)
WHEN4 = _scale(
    "when4",
    ("Within 5 years", "Brenda 5 vjetëve", "U narednih 5 godina"),
    ("In 5 to 10 years", "Pas 5 deri në 10 vjetësh", "Za 5 do 10 godina"),
    ("In more than 10 years", "Pas më shumë se 10 vjetësh", "Za više od 10 godina"),
    ("Never", "Kurrë", "Nikada"),
)
RELATIONS5 = _scale(
    "relations5",
    ("Very good", "Shumë të mira", "Veoma dobri"),
    ("Good", "Të mira", "Dobri"),
    ("Neither good nor bad", "As të mira, as të këqija", "Ni dobri ni loši"),
    ("Bad", "Të këqija", "Loši"),
    ("Very bad", "Shumë të këqija", "Veoma loši"),
)
LIKELY4 = _scale(
    "likely4",
    ("Very likely", "Shumë e mundshme", "Veoma verovatno"),
    ("Fairly likely", "Disi e mundshme", "Prilično verovatno"),
    ("Not very likely", "Pak e mundshme", "Malo verovatno"),
    ("Not at all likely", "Aspak e mundshme", "Nimalo verovatno"),
)
THREAT4 = _scale(
    "threat4",
    ("A very big threat", "Kërcënim shumë i madh", "Veoma velika pretnja"),
    ("A fairly big threat", "Kërcënim mjaft i madh", "Prilično velika pretnja"),
    ("A small threat", "Kërcënim i vogël", "Mala pretnja"),
    ("No threat at all", "Aspak kërcënim", "Nije pretnja"),
)
FREQ5 = _scale(
    "freq5",
    ("Every day", "Çdo ditë", "Svakog dana"),
    ("Several times a week", "Disa herë në javë", "Nekoliko puta nedeljno"),
    ("Several times a month", "Disa herë në muaj", "Nekoliko puta mesečno"),
    ("Rarely", "Rrallë", "Retko"),
    ("Never", "Asnjëherë", "Nikada"),
)
POSNEG5 = _scale(
    "posneg5",
    ("Very positive", "Shumë pozitiv", "Veoma pozitivan"),
    ("Mostly positive", "Kryesisht pozitiv", "Uglavnom pozitivan"),
    ("Neither positive nor negative", "As pozitiv, as negativ", "Ni pozitivan ni negativan"),
    ("Mostly negative", "Kryesisht negativ", "Uglavnom negativan"),
    ("Very negative", "Shumë negativ", "Veoma negativan"),
)
YESNO = _scale("yesno", ("Yes", "Po", "Da"), ("No", "Jo", "Ne"))
NEWS = _scale(
    "news",
    ("Television", "Televizioni", "Televizija"),
    ("News websites", "Portalet e lajmeve", "Informativni portali"),
    ("Social media", "Rrjetet sociale", "Društvene mreže"),
    ("Radio", "Radioja", "Radio"),
    ("Newspapers", "Gazetat", "Novine"),
    ("Family and friends", "Familja dhe miqtë", "Porodica i prijatelji"),
)


def scale_0_10() -> tuple[Value, ...]:
    """0-10 with worded endpoints, the other points just the number, then 98/99."""
    points = []
    for i in range(11):
        if i == 0:
            label = tx(
                "0 You can't be too careful",
                "0 Duhet të jesh shumë i kujdesshëm",
                "0 Čovek ne može biti dovoljno oprezan",
            )
        elif i == 10:
            label = tx(
                "10 Most people can be trusted",
                "10 Shumicës së njerëzve mund t'u besohet",
                "10 Većini ljudi se može verovati",
            )
        else:
            label = tx(str(i), str(i), str(i))
        points.append(Value(i, label))
    return tuple(points) + MISSING_VALUES


TOPICS: tuple[Topic, ...] = (
    Topic("safety", tx("Safety", "Siguria", "Bezbednost")),
    Topic("trust",
          tx("Trust in institutions", "Besimi në institucione", "Poverenje u institucije")),
    Topic("corruption", tx("Corruption", "Korrupsioni", "Korupcija")),
    Topic("eu", tx("EU integration", "Integrimi në BE", "Evropske integracije")),
    Topic("relations", tx("Regional relations", "Marrëdhëniet rajonale", "Regionalni odnosi")),
    Topic("extremism", tx("Violent extremism", "Ekstremizmi i dhunshëm", "Nasilni ekstremizam")),
    Topic("gender", tx("Gender and security", "Gjinia dhe siguria", "Rod i bezbednost")),
    Topic("media",
          tx("Media and disinformation", "Media dhe dezinformimi", "Mediji i dezinformacije")),
    Topic("foreign", tx("Foreign influence", "Ndikimi i huaj", "Strani uticaj")),
)
