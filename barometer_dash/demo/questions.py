"""Question wording of the demo survey in English, Albanian and Serbian (Latin script).

Only texts and answer scales live here; how answers are generated is in `attitudes.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.codebook import Kind, Text, Value
from ..domain.nets import WordingChange
from .demographics import XK
from .scales import (
    AGREE4,
    CHANGE5,
    EXTENT4,
    FREQ5,
    LIKELY4,
    NEWS,
    POSNEG5,
    RELATIONS5,
    SAFE4,
    SUPPORT4,
    THREAT4,
    TRUST4,
    WHEN4,
    YESNO,
    Scale,
    scale_0_10,
    tx,
)


@dataclass(frozen=True)
class Question:
    name: str
    topic: str
    label: Text
    short: Text
    values: tuple[Value, ...]
    kind: Kind = "single"
    scale: Scale | None = None
    only_country: int | None = None  # asked in this country only
    first_year: int | None = None  # first wave that asked it
    notes: Text | None = None
    wording_changes: tuple[WordingChange, ...] = ()


def _q(
    name: str,
    topic: str,
    scale: Scale,
    label: Text,
    short: Text,
    *,
    only_country: int | None = None,
    first_year: int | None = None,
    notes: Text | None = None,
    wording_changes: tuple[WordingChange, ...] = (),
) -> Question:
    return Question(name, topic, label, short, scale.values(), scale=scale,
                    only_country=only_country, first_year=first_year, notes=notes,
                    wording_changes=wording_changes)


def _trust(
    name: str, en: str, sq: str, sr: str, short: Text, notes: Text | None = None
) -> Question:
    label = tx(f"How much do you trust {en}?", f"Sa besim keni në {sq}?",
               f"Koliko imate poverenja u {sr}?")
    return _q(name, "trust", TRUST4, label, short, notes=notes)


def _agree(
    name: str, topic: str, en: str, sq: str, sr: str, short: Text, notes: Text | None = None,
    wording_changes: tuple[WordingChange, ...] = (),
) -> Question:
    label = tx(f"How much do you agree with this statement? {en[0].upper()}{en[1:]}",
               f"Sa pajtoheni me këtë pohim? {sq}", f"Koliko se slažete sa ovom tvrdnjom? {sr}")
    return _q(name, topic, AGREE4, label, short, notes=notes, wording_changes=wording_changes)


def _corruption(name: str, en: str, sq: str, sr: str, short: Text) -> Question:
    label = tx(f"To what extent is corruption present {en}?",
               f"Në çfarë mase është i pranishëm korrupsioni {sq}?",
               f"U kojoj meri je korupcija prisutna {sr}?")
    return _q(name, "corruption", EXTENT4, label, short)


def _relations(name: str, en: str, sq: str, sr: str, short: Text) -> Question:
    label = tx(f"How would you describe relations between {en}?",
               f"Si do t'i përshkruanit marrëdhëniet mes {sq}?",
               f"Kako biste opisali odnose između {sr}?")
    return _q(name, "relations", RELATIONS5, label, short)


def _influence(name: str, en: str, sq: str, sr: str, short: Text) -> Question:
    label = tx(f"Is the influence of {en} on your country positive or negative?",
               f"A është ndikimi i {sq} në vendin tuaj pozitiv apo negativ?",
               f"Da li je uticaj {sr} na vašu zemlju pozitivan ili negativan?")
    return _q(name, "foreign", POSNEG5, label, short)


THREAT_VALUES: tuple[Value, ...] = tuple(
    Value(i + 1, tx(*t))
    for i, t in enumerate(
        (
            ("Unemployment and the economy", "Papunësia dhe ekonomia", "Nezaposlenost i ekonomija"),
            ("Corruption", "Korrupsioni", "Korupcija"),
            ("Organised crime", "Krimi i organizuar", "Organizovani kriminal"),
            ("Political instability", "Paqëndrueshmëria politike", "Politička nestabilnost"),
            ("Emigration of young people", "Emigrimi i të rinjve", "Odlazak mladih iz zemlje"),
            ("Inter-ethnic tensions", "Tensionet ndëretnike", "Međuetničke tenzije"),
            ("Violent extremism and terrorism", "Ekstremizmi i dhunshëm dhe terrorizmi",
             "Nasilni ekstremizam i terorizam"),
            ("Conflict with a neighbouring country", "Konflikti me një shtet fqinj",
             "Sukob sa susednom državom"),
            ("Foreign interference", "Ndërhyrja e huaj", "Strano mešanje"),
            ("Natural disasters and climate change",
             "Fatkeqësitë natyrore dhe ndryshimet klimatike",
             "Prirodne katastrofe i klimatske promene"),
        )
    )
)

WOMEN_SECURITY_NOTE = tx(
    "Until 2022 the statement named only the army ('women can serve in the army as well as "
    "men'); from 2023 it names the army and the police. Compare 2021–2022 with later years "
    "with care.",
    "Deri në vitin 2022 pohimi përmendte vetëm ushtrinë ('gratë mund të shërbejnë në ushtri "
    "po aq mirë sa burrat'); nga viti 2023 përmend ushtrinë dhe policinë. Krahasimi i viteve "
    "2021–2022 me vitet e mëvonshme duhet bërë me kujdes.",
    "Do 2022. godine tvrdnja je pominjala samo vojsku („žene mogu da služe u vojsci jednako "
    "dobro kao muškarci”); od 2023. pominje vojsku i policiju. Poređenje 2021–2022. sa "
    "kasnijim godinama treba tumačiti oprezno.",
)

WOMEN_SECURITY_CHANGE = WordingChange(2023, tx(
    "From 2023 the statement names the police as well as the army.",
    "Nga viti 2023 pohimi përmend edhe policinë krahas ushtrisë.",
    "Od 2023. tvrdnja pominje i policiju, ne samo vojsku.",
))

QUESTIONS: tuple[Question, ...] = (
    # --- safety -------------------------------------------------------------------------
    _q("safe_walk_night", "safety", SAFE4,
       tx("How safe do you feel walking alone at night in the area where you live?",
          "Sa i/e sigurt ndiheni kur ecni vetëm natën në zonën ku jetoni?",
          "Koliko se bezbedno osećate kada noću sami šetate u mestu u kojem živite?"),
       tx("Safe walking at night", "Siguria natën në rrugë", "Bezbednost noću na ulici")),
    _q("safe_home", "safety", SAFE4,
       tx("How safe do you feel in your own home?", "Sa i/e sigurt ndiheni në shtëpinë tuaj?",
          "Koliko se bezbedno osećate u svom domu?"),
       tx("Safe at home", "Siguria në shtëpi", "Bezbednost kod kuće")),
    _q("safety_change", "safety", CHANGE5,
       tx("Compared with a year ago, do you feel safer or less safe in your country?",
          "Krahasuar me një vit më parë, a ndiheni më i/e sigurt apo më pak i/e sigurt në "
          "vendin tuaj?",
          "U poređenju sa periodom od pre godinu dana, da li se u svojoj zemlji osećate "
          "bezbednije ili manje bezbedno?"),
       tx("Safety compared with last year", "Siguria krahasuar me vitin e kaluar",
          "Bezbednost u odnosu na prošlu godinu")),
    _q("crime_victim", "safety", YESNO,
       tx("In the past 12 months, have you or a member of your household been a victim of a "
          "crime?",
          "Në 12 muajt e fundit, a keni qenë ju ose ndonjë anëtar i familjes suaj viktimë e "
          "ndonjë krimi?",
          "Da li ste vi ili neki član vašeg domaćinstva u poslednjih 12 meseci bili žrtva "
          "krivičnog dela?"),
       tx("Victim of crime", "Viktimë e krimit", "Žrtva krivičnog dela")),
    Question(
        "threats", "safety",
        tx("What are the main threats to the security of your country? (up to three answers)",
           "Cilat janë kërcënimet kryesore për sigurinë e vendit tuaj? (deri në tri përgjigje)",
           "Koje su glavne pretnje bezbednosti vaše zemlje? (do tri odgovora)"),
        tx("Main security threats", "Kërcënimet kryesore", "Glavne pretnje"),
        THREAT_VALUES, kind="multi",
    ),
    # --- trust ----------------------------------------------------------------------------
    Question(
        "trust_general", "trust",
        tx("Generally speaking, would you say that most people can be trusted, or that you "
           "can't be too careful? (0–10)",
           "Në përgjithësi, a mendoni se shumicës së njerëzve mund t'u besohet, apo se duhet "
           "të jesh shumë i kujdesshëm? (0–10)",
           "Uopšteno govoreći, da li mislite da se većini ljudi može verovati ili da čovek "
           "ne može biti dovoljno oprezan? (0–10)"),
        tx("Trust in other people", "Besimi te njerëzit", "Poverenje u ljude"),
        scale_0_10(), kind="numeric",
    ),
    _trust("trust_police", "the police", "polici", "policiju",
           tx("Police", "Policia", "Policija")),
    _trust("trust_army", "the army / security force of your country",
           "ushtrinë ose forcën e sigurisë së vendit tuaj",
           "vojsku / snage bezbednosti svoje zemlje",
           tx("Army / security force", "Ushtria / forca e sigurisë", "Vojska / snage bezbednosti"),
           notes=tx("In Kosovo this item refers to the Kosovo Security Force.",
                    "Në Kosovë kjo pyetje i referohet Forcës së Sigurisë së Kosovës.",
                    "Na Kosovu se ovo pitanje odnosi na Kosovske bezbednosne snage.")),
    _trust("trust_courts", "the courts", "gjykata", "sudove", tx("Courts", "Gjykatat", "Sudovi")),
    _trust("trust_prosecution", "the public prosecution", "prokurori", "tužilaštvo",
           tx("Prosecution", "Prokuroria", "Tužilaštvo")),
    _trust("trust_parliament", "the parliament", "parlament", "parlament",
           tx("Parliament", "Parlamenti", "Parlament")),
    _trust("trust_government", "the government", "qeveri", "vladu",
           tx("Government", "Qeveria", "Vlada")),
    _trust("trust_eu", "the European Union", "Bashkimin Evropian", "Evropsku uniju",
           tx("European Union", "Bashkimi Evropian", "Evropska unija")),
    _trust("trust_nato", "NATO", "NATO", "NATO", tx("NATO", "NATO", "NATO")),
    Question(
        "trust_ksf", "trust",
        tx("How much do you trust the Kosovo Security Force (KSF) to protect all communities "
           "in Kosovo?",
           "Sa besim keni se Forca e Sigurisë së Kosovës (FSK) i mbron të gjitha komunitetet "
           "në Kosovë?",
           "Koliko imate poverenja da Kosovske bezbednosne snage (KBS) štite sve zajednice "
           "na Kosovu?"),
        tx("KSF protects all communities", "FSK mbron të gjitha komunitetet",
           "KBS štite sve zajednice"),
        TRUST4.values(), scale=TRUST4, only_country=XK,
    ),
    _trust("trust_un", "the United Nations (UN)", "Kombet e Bashkuara (OKB)",
           "Ujedinjene nacije (UN)",
           tx("United Nations", "Kombet e Bashkuara", "Ujedinjene nacije")),
    _trust("trust_osce", "the OSCE", "OSBE", "OEBS", tx("OSCE", "OSBE", "OEBS")),
    _trust("trust_media", "the media", "media", "medije", tx("Media", "Mediat", "Mediji")),
    _trust("trust_religious", "religious communities", "bashkësitë fetare", "verske zajednice",
           tx("Religious communities", "Bashkësitë fetare", "Verske zajednice")),
    # --- corruption -----------------------------------------------------------------------
    _corruption("corruption_police", "in the police", "në polici", "u policiji",
                tx("Corruption: police", "Korrupsioni: policia", "Korupcija: policija")),
    _corruption("corruption_courts", "in the courts", "në gjykata", "u sudovima",
                tx("Corruption: courts", "Korrupsioni: gjykatat", "Korupcija: sudovi")),
    _corruption("corruption_customs", "in customs", "në doganë", "u carini",
                tx("Corruption: customs", "Korrupsioni: dogana", "Korupcija: carina")),
    _corruption("corruption_health", "in the health system", "në sistemin shëndetësor",
                "u zdravstvu",
                tx("Corruption: health", "Korrupsioni: shëndetësia", "Korupcija: zdravstvo")),
    _corruption("corruption_local", "in local government", "në pushtetin vendor",
                "u lokalnoj samoupravi",
                tx("Corruption: local government", "Korrupsioni: pushteti vendor",
                   "Korupcija: lokalna samouprava")),
    _agree("corruption_fight", "corruption",
           "the government is doing enough to fight corruption.",
           "Qeveria po bën mjaftueshëm për të luftuar korrupsionin.",
           "Vlada čini dovoljno u borbi protiv korupcije.",
           tx("Government fights corruption", "Qeveria lufton korrupsionin",
              "Vlada se bori protiv korupcije")),
    # --- EU integration -------------------------------------------------------------------
    _q("eu_support", "eu", SUPPORT4,
       tx("Do you support your country's membership of the European Union?",
          "A e mbështetni anëtarësimin e vendit tuaj në Bashkimin Evropian?",
          "Da li podržavate članstvo svoje zemlje u Evropskoj uniji?"),
       tx("Support for EU membership", "Mbështetja për anëtarësimin në BE",
          "Podrška članstvu u EU")),
    _q("eu_membership_when", "eu", WHEN4,
       tx("When do you expect your country to join the European Union?",
          "Kur prisni që vendi juaj të anëtarësohet në Bashkimin Evropian?",
          "Kada očekujete da vaša zemlja postane članica Evropske unije?"),
       tx("Expected EU accession", "Anëtarësimi i pritur në BE", "Očekivani ulazak u EU")),
    _agree("eu_security", "eu",
           "EU membership would make your country more secure.",
           "Anëtarësimi në BE do ta bënte vendin tuaj më të sigurt.",
           "Članstvo u EU bi vašu zemlju učinilo bezbednijom.",
           tx("EU makes us safer", "BE na bën më të sigurt", "EU nas čini bezbednijim")),
    # --- regional relations ---------------------------------------------------------------
    _relations("relations_ks_rs", "Kosovo and Serbia", "Kosovës dhe Serbisë", "Kosova i Srbije",
               tx("Relations Kosovo–Serbia", "Marrëdhëniet Kosovë–Serbi", "Odnosi Kosovo–Srbija")),
    _relations("relations_al_rs", "Albania and Serbia", "Shqipërisë dhe Serbisë",
               "Albanije i Srbije",
               tx("Relations Albania–Serbia", "Marrëdhëniet Shqipëri–Serbi",
                  "Odnosi Albanija–Srbija")),
    _relations("relations_al_ks", "Albania and Kosovo", "Shqipërisë dhe Kosovës",
               "Albanije i Kosova",
               tx("Relations Albania–Kosovo", "Marrëdhëniet Shqipëri–Kosovë",
                  "Odnosi Albanija–Kosovo")),
    _q("dialogue_support", "relations", SUPPORT4,
       tx("Do you support the EU-facilitated dialogue between Kosovo and Serbia?",
          "A e mbështetni dialogun Kosovë–Serbi të lehtësuar nga BE-ja?",
          "Da li podržavate dijalog Beograda i Prištine uz posredovanje EU?"),
       tx("Support for the dialogue", "Mbështetja për dialogun", "Podrška dijalogu")),
    _agree("regional_coop", "relations",
           "cooperation among Western Balkan countries makes your country more secure.",
           "Bashkëpunimi mes vendeve të Ballkanit Perëndimor e bën vendin tuaj më të sigurt.",
           "Saradnja zemalja Zapadnog Balkana čini vašu zemlju bezbednijom.",
           tx("Regional cooperation", "Bashkëpunimi rajonal", "Regionalna saradnja")),
    _q("conflict_risk", "relations", LIKELY4,
       tx("How likely is a new armed conflict in the region in the next five years?",
          "Sa e mundshme është një konflikt i ri i armatosur në rajon në pesë vitet e ardhshme?",
          "Koliko je verovatan novi oružani sukob u regionu u narednih pet godina?"),
       tx("Risk of armed conflict", "Rreziku i konfliktit", "Rizik od sukoba")),
    # --- violent extremism ------------------------------------------------------------------
    _q("extremism_threat", "extremism", THREAT4,
       tx("How big a threat is violent extremism to the security of your country?",
          "Sa i madh është kërcënimi nga ekstremizmi i dhunshëm për sigurinë e vendit tuaj?",
          "Koliko je nasilni ekstremizam velika pretnja bezbednosti vaše zemlje?"),
       tx("Threat of violent extremism", "Kërcënimi nga ekstremizmi",
          "Pretnja od ekstremizma")),
    _q("returnees_threat", "extremism", THREAT4,
       tx("How big a threat to the security of your country are people who returned from "
          "foreign wars (for example Syria and Iraq)?",
          "Sa kërcënim paraqesin për sigurinë e vendit tuaj personat e kthyer nga luftërat e "
          "huaja (për shembull Siria dhe Iraku)?",
          "Koliko su osobe koje su se vratile sa stranih ratišta (na primer iz Sirije i "
          "Iraka) pretnja bezbednosti vaše zemlje?"),
       tx("Threat from returnees", "Kërcënimi nga të kthyerit", "Pretnja od povratnika")),
    _agree("returnees_reintegration", "extremism",
           "people who returned from foreign wars should be helped to reintegrate into society.",
           "Personat e kthyer nga luftërat e huaja duhet të ndihmohen të riintegrohen në shoqëri.",
           "Osobama koje su se vratile sa stranih ratišta treba pomoći da se ponovo uključe u "
           "društvo.",
           tx("Reintegrate returnees", "Riintegrimi i të kthyerve", "Reintegracija povratnika")),
    _agree("extremism_online", "extremism",
           "violent extremist content is easy to find on social media.",
           "Përmbajtja ekstremiste e dhunshme gjendet lehtë në rrjetet sociale.",
           "Nasilni ekstremistički sadržaj se lako može naći na društvenim mrežama.",
           tx("Extremism online", "Ekstremizmi në internet", "Ekstremizam na internetu")),
    # --- gender and security -------------------------------------------------------------
    _q("gbv_extent", "gender", EXTENT4,
       tx("To what extent is violence against women a problem in your country?",
          "Në çfarë mase është dhuna ndaj grave problem në vendin tuaj?",
          "U kojoj meri je nasilje nad ženama problem u vašoj zemlji?"),
       tx("Violence against women", "Dhuna ndaj grave", "Nasilje nad ženama")),
    _agree("gbv_police", "gender",
           "the police deal properly with reports of violence against women.",
           "Policia i trajton siç duhet denoncimet për dhunë ndaj grave.",
           "Policija na odgovarajući način postupa po prijavama nasilja nad ženama.",
           tx("Police and violence against women", "Policia dhe dhuna ndaj grave",
              "Policija i nasilje nad ženama")),
    _agree("women_security", "gender",
           "women can serve in the army and the police as well as men.",
           "Gratë mund të shërbejnë në ushtri dhe në polici po aq mirë sa burrat.",
           "Žene mogu da služe u vojsci i policiji jednako dobro kao muškarci.",
           tx("Women in army and police", "Gratë në ushtri dhe polici", "Žene u vojsci i policiji"),
           notes=WOMEN_SECURITY_NOTE, wording_changes=(WOMEN_SECURITY_CHANGE,)),
    _agree("women_leadership", "gender",
           "more women should hold leadership positions in the police and the army.",
           "Më shumë gra duhet të mbajnë pozita drejtuese në polici dhe në ushtri.",
           "Više žena bi trebalo da bude na rukovodećim položajima u policiji i vojsci.",
           tx("Women in leadership", "Gratë në pozita drejtuese", "Žene na rukovodećim mestima")),
    # --- media and disinformation ----------------------------------------------------------
    _q("news_source", "media", NEWS,
       tx("What is your main source of news about politics and security?",
          "Cili është burimi juaj kryesor i lajmeve për politikën dhe sigurinë?",
          "Koji vam je glavni izvor vesti o politici i bezbednosti?"),
       tx("Main news source", "Burimi kryesor i lajmeve", "Glavni izvor vesti")),
    _q("disinfo_exposure", "media", FREQ5,
       tx("How often do you come across news that you believe is false or misleading?",
          "Sa shpesh hasni lajme që mendoni se janë të rreme ose mashtruese?",
          "Koliko često nailazite na vesti za koje mislite da su lažne ili obmanjujuće?"),
       tx("Meets false news", "Has lajme të rreme", "Nailazi na lažne vesti")),
    _q("disinfo_threat", "media", THREAT4,
       tx("How big a threat is disinformation to the security of your country?",
          "Sa i madh është kërcënimi nga dezinformimi për sigurinë e vendit tuaj?",
          "Koliko su dezinformacije velika pretnja bezbednosti vaše zemlje?"),
       tx("Threat of disinformation", "Kërcënimi nga dezinformimi", "Pretnja od dezinformacija")),
    _agree("media_independent", "media",
           "the media in your country can report freely, without political pressure.",
           "Mediat në vendin tuaj mund të raportojnë lirshëm, pa presion politik.",
           "Mediji u vašoj zemlji mogu slobodno da izveštavaju, bez političkog pritiska.",
           tx("Media report freely", "Mediat raportojnë lirshëm", "Mediji slobodno izveštavaju")),
    # --- foreign influence ------------------------------------------------------------------
    _influence("influence_russia", "Russia", "Rusisë", "Rusije",
               tx("Influence of Russia", "Ndikimi i Rusisë", "Uticaj Rusije")),
    _influence("influence_china", "China", "Kinës", "Kine",
               tx("Influence of China", "Ndikimi i Kinës", "Uticaj Kine")),
    _influence("influence_usa", "the United States", "Shteteve të Bashkuara", "Sjedinjenih Država",
               tx("Influence of the USA", "Ndikimi i SHBA-së", "Uticaj SAD")),
    _influence("influence_turkey", "Turkey", "Turqisë", "Turske",
               tx("Influence of Turkey", "Ndikimi i Turqisë", "Uticaj Turske")),
    _influence("influence_eu", "the European Union", "Bashkimit Evropian", "Evropske unije",
               tx("Influence of the EU", "Ndikimi i BE-së", "Uticaj EU")),
    _q("ukraine_war_threat", "foreign", EXTENT4,
       tx("To what extent does the war in Ukraine threaten the security of your country?",
          "Në çfarë mase e kërcënon lufta në Ukrainë sigurinë e vendit tuaj?",
          "U kojoj meri rat u Ukrajini ugrožava bezbednost vaše zemlje?"),
       tx("War in Ukraine as a threat", "Lufta në Ukrainë si kërcënim",
          "Rat u Ukrajini kao pretnja"),
       first_year=2022),
)
