"""Demo content for the learning library, in Italian with English translations.

Called by the host's ``load_demo`` as ``load(site=..., home_page=..., users=..., stdout=...)``.
Idempotent: pages are found by slug (topics by slug and locale) and updated, never duplicated.
Amounts and rules are for orientation only: every legal lesson says to check with an adviser.
"""

from __future__ import annotations

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Page

from resources.blocks import SharedStreamBlock
from resources.models import (
    CourseLesson,
    CoursePage,
    GuidePage,
    LessonPage,
    LibraryIndexPage,
    OpportunityPage,
    Topic,
    TopicPage,
)

ADVISER_IT = (
    "Le cifre sono indicative e cambiano ogni anno: verifica sempre con un consulente, "
    "un CAF o il tuo mentore prima di decidere."
)
ADVISER_EN = (
    "Figures are a rough guide and change every year: always check with an adviser, "
    "a tax assistance centre (CAF) or your mentor before you decide."
)


# --- Block helpers: every block has a stable id, shared by both languages ----------------


def p(text):
    return ("paragraph", f"<p>{text}</p>")


def h(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def steps(*items):
    return ("steps", {"steps": [{"title": title, "text": text} for title, text in items]})


def checklist(title, *items):
    return ("checklist", {"title": title, "items": list(items)})


def callout(title, text, tone="info"):
    return ("callout", {"title": title, "text": f"<p>{text}</p>", "tone": tone})


def term(word, definition):
    return ("glossary_term", {"term": word, "definition": definition})


def testimonial(quote, name, role):
    return ("testimonial", {"quote": quote, "name": name, "role": role})


def quiz(title, pass_mark, *questions):
    return (
        "quiz",
        {
            "title": title,
            "pass_mark": pass_mark,
            "questions": [
                {
                    "question": question,
                    "options": [
                        {"text": text, "correct": correct, "feedback": feedback}
                        for text, correct, feedback in options
                    ],
                }
                for question, options in questions
            ],
        },
    )


def body(key: str, blocks: list) -> StreamValue:
    stream_block = SharedStreamBlock()
    return StreamValue(
        stream_block,
        [
            (name, stream_block.child_blocks[name].to_python(value), f"{key}-{index}")
            for index, (name, value) in enumerate(blocks)
        ],
    )


# --- Content -------------------------------------------------------------------------------

TOPICS = [
    # slug, Italian name, English name, business plan section, Italian description, English
    (
        "transizione-verde",
        "Transizione verde",
        "Green transition",
        "sustainability",
        "Mestieri e mercati che nascono dal risparmio di energia e materiali.",
        "Trades and markets that come from saving energy and materials.",
    ),
    (
        "transizione-digitale",
        "Transizione digitale",
        "Digital transition",
        "digital",
        "Vendere, farsi pagare e lavorare con strumenti digitali.",
        "Selling, getting paid and working with digital tools.",
    ),
    (
        "competenze-digitali",
        "Competenze digitali",
        "Digital skills",
        "digital",
        "SPID, PEC, fattura elettronica: gli strumenti di base.",
        "SPID, certified e-mail, e-invoicing: the basic tools.",
    ),
    (
        "competenze-per-la-vita",
        "Competenze per la vita",
        "Life skills",
        "idea",
        "Organizzare il tempo, parlare con i clienti, chiedere aiuto.",
        "Organising your time, talking to customers, asking for help.",
    ),
    (
        "avviare-un-attivita",
        "Avviare un'attività",
        "Starting a business",
        "idea",
        "Dall'idea al primo cliente, passo dopo passo.",
        "From the idea to the first customer, step by step.",
    ),
    (
        "basi-legali-e-fiscali",
        "Basi legali e fiscali",
        "Legal and tax basics",
        "legal",
        "Uscire dal lavoro nero: partita IVA, regime forfettario, contributi.",
        "Leaving undeclared work: VAT number, flat-rate regime, social security.",
    ),
    (
        "finanza-e-credito",
        "Finanza e credito",
        "Finance and credit",
        "finance",
        "Costi, prezzi, microcredito e finanziamenti agevolati.",
        "Costs, prices, microcredit and subsidised loans.",
    ),
]

LEGAL_COURSE = {
    "slug": "dal-lavoro-nero-alla-partita-iva",
    "topics": ["basi-legali-e-fiscali", "avviare-un-attivita"],
    "level": "beginner",
    "duration": 60,
    "it": {
        "title": "Dal lavoro in nero alla tua partita IVA",
        "summary": "Come mettere in regola il lavoro che fai già: partita IVA, regime "
        "forfettario, contributi INPS e permessi, spiegati passo per passo.",
        "outcomes": "Capire cosa rischi lavorando in nero\nAprire la partita IVA con il codice "
        "ATECO giusto\nSapere se puoi usare il regime forfettario\nSapere quali contributi "
        "INPS pagherai\nPresentare la SCIA al SUAP e iscriverti alla Camera di Commercio",
    },
    "en": {
        "title": "From undeclared work to your own VAT number",
        "summary": "How to make the work you already do legal: VAT number, flat-rate regime, "
        "INPS contributions and permits, explained step by step.",
        "outcomes": "Understand the risks of undeclared work\nOpen a VAT number with the right "
        "ATECO code\nKnow whether you can use the flat-rate regime\nKnow which INPS "
        "contributions you will pay\nFile the SCIA with the SUAP and register with the "
        "Chamber of Commerce",
    },
    "lessons": [
        {
            "slug": "perche-mettersi-in-regola",
            "it": (
                "Perché mettersi in regola",
                "Cosa guadagni e cosa rischi: pensione, malattia, clienti più grandi.",
                [
                    p(
                        "Lavorare in nero sembra più semplice, ma ti lascia senza tutele: niente "
                        "pensione, niente indennità di malattia o maternità, nessuna prova del "
                        "tuo reddito per un affitto o un prestito."
                    ),
                    p(
                        "Con una partita IVA puoi fare fatture, lavorare con aziende ed enti "
                        "pubblici, chiedere finanziamenti e partecipare ai bandi."
                    ),
                    callout(
                        "Lo sapevi?",
                        "Se ti controllano mentre lavori in nero rischi multe e il recupero "
                        "delle tasse non pagate. Mettersi in regola prima costa meno.",
                        "warning",
                    ),
                    testimonial(
                        "Facevo pulizie in nero da anni. Con la partita IVA ora lavoro per due "
                        "condomini e ho un contratto vero.",
                        "Mariana",
                        "impresa di pulizie, Torino",
                    ),
                ],
            ),
            "en": (
                "Why get your work on the books",
                "What you gain and what you risk: pension, sick pay, bigger customers.",
                [
                    p(
                        "Undeclared work looks simpler, but it leaves you unprotected: no "
                        "pension, no sick or maternity pay, no proof of income for a rent "
                        "contract or a loan."
                    ),
                    p(
                        "With a VAT number you can issue invoices, work for companies and "
                        "public bodies, ask for funding and apply for calls."
                    ),
                    callout(
                        "Did you know?",
                        "If you are inspected while working undeclared you risk fines and "
                        "paying back the taxes. Getting legal first costs less.",
                        "warning",
                    ),
                    testimonial(
                        "I cleaned houses off the books for years. With a VAT number I now "
                        "work for two buildings and I have a real contract.",
                        "Mariana",
                        "cleaning business, Turin",
                    ),
                ],
            ),
        },
        {
            "slug": "aprire-la-partita-iva",
            "it": (
                "Aprire la partita IVA",
                "Il codice ATECO, il modulo AA9/12 e chi può aiutarti. È gratis.",
                [
                    p(
                        "La partita IVA si apre all'Agenzia delle Entrate, online con SPID o "
                        "tramite un commercialista o un CAF. L'apertura è gratuita."
                    ),
                    steps(
                        ("Scegli il codice ATECO", "È il numero che descrive la tua attività."),
                        ("Compila il modulo AA9/12", "Per le persone fisiche (ditta individuale)."),
                        ("Invia il modulo", "Online, con un intermediario o allo sportello."),
                        ("Ricevi il numero", "Di solito subito: 11 cifre."),
                    ),
                    term(
                        "Codice ATECO",
                        "Un codice che dice allo Stato che lavoro fai. Da esso dipendono "
                        "tasse e contributi.",
                    ),
                    checklist(
                        "Cosa ti serve",
                        "Documento d'identità valido",
                        "Codice fiscale",
                        "Permesso di soggiorno, se non sei cittadino UE",
                        "Un indirizzo dove ha sede l'attività",
                    ),
                ],
            ),
            "en": (
                "Opening a VAT number",
                "The ATECO code, form AA9/12 and who can help you. It is free.",
                [
                    p(
                        "You open a VAT number with the Revenue Agency (Agenzia delle "
                        "Entrate), online with SPID or through an accountant or a CAF. "
                        "Opening it is free."
                    ),
                    steps(
                        ("Choose the ATECO code", "The number that describes your activity."),
                        ("Fill in form AA9/12", "For individuals (sole traders)."),
                        ("Send the form", "Online, through an intermediary or at the office."),
                        ("Get your number", "Usually at once: 11 digits."),
                    ),
                    term(
                        "ATECO code",
                        "A code that tells the State what work you do. Taxes and "
                        "contributions depend on it.",
                    ),
                    checklist(
                        "What you need",
                        "A valid identity document",
                        "Your tax code (codice fiscale)",
                        "Your residence permit, if you are not an EU citizen",
                        "An address where the business is based",
                    ),
                ],
            ),
        },
        {
            "slug": "il-regime-forfettario",
            "it": (
                "Il regime forfettario",
                "Il regime più semplice per chi inizia: una sola imposta, niente IVA.",
                [
                    p(
                        "Se prevedi di incassare fino a 85.000 euro l'anno puoi scegliere il "
                        "regime forfettario. Non addebiti l'IVA ai clienti e paghi una sola "
                        "imposta sostitutiva."
                    ),
                    p(
                        "L'imposta è del 15% sul reddito calcolato con un coefficiente fisso "
                        "(dipende dal codice ATECO). Per i primi cinque anni di una nuova "
                        "attività può scendere al 5%."
                    ),
                    callout("Attenzione", ADVISER_IT, "warning"),
                    term(
                        "Coefficiente di redditività",
                        "La parte dei tuoi incassi su cui paghi le tasse. Per esempio, con il "
                        "78% su 10.000 euro incassati paghi su 7.800 euro.",
                    ),
                ],
            ),
            "en": (
                "The flat-rate regime",
                "The simplest regime for beginners: one tax, no VAT.",
                [
                    p(
                        "If you expect to earn up to 85,000 euros a year you can choose the "
                        "flat-rate regime (regime forfettario). You do not charge VAT to "
                        "customers and you pay a single substitute tax."
                    ),
                    p(
                        "The tax is 15% of an income worked out with a fixed coefficient "
                        "(it depends on the ATECO code). For the first five years of a new "
                        "business it can go down to 5%."
                    ),
                    callout("Watch out", ADVISER_EN, "warning"),
                    term(
                        "Profitability coefficient",
                        "The share of your takings you pay tax on. For example, with 78% of "
                        "10,000 euros taken you pay on 7,800 euros.",
                    ),
                ],
            ),
        },
        {
            "slug": "i-contributi-inps",
            "it": (
                "I contributi INPS",
                "Gestione separata o artigiani e commercianti: quale ti riguarda.",
                [
                    p(
                        "I contributi pagano la tua pensione e le tutele. Dove li versi dipende "
                        "dal lavoro che fai."
                    ),
                    h("Artigiani e commercianti"),
                    p(
                        "Se hai un'impresa artigiana o commerciale ti iscrivi alla gestione "
                        "artigiani o commercianti. C'è un contributo minimo annuo, di circa "
                        "4.500 euro, anche se guadagni poco. Nel regime forfettario puoi "
                        "chiedere una riduzione del 35%."
                    ),
                    h("Gestione separata"),
                    p(
                        "Se sei un professionista senza cassa propria (per esempio consulente o "
                        "grafico) versi alla gestione separata circa il 26% del reddito, senza "
                        "minimo."
                    ),
                    callout("Verifica sempre", ADVISER_IT, "warning"),
                    quiz(
                        "Verifica: tasse e contributi",
                        70,
                        (
                            "Chi apre la partita IVA?",
                            [
                                ("L'Agenzia delle Entrate", True, "Giusto: si apre lì."),
                                ("Il Comune", False, "No: al Comune (SUAP) va la SCIA."),
                                ("L'INPS", False, "No: l'INPS riguarda i contributi."),
                            ],
                        ),
                        (
                            "Nel regime forfettario, fino a quanto puoi incassare in un anno?",
                            [
                                ("85.000 euro", True, "Giusto."),
                                ("30.000 euro", False, "No: il limite è più alto."),
                                ("Non c'è limite", False, "No: il limite c'è."),
                            ],
                        ),
                        (
                            "Un parrucchiere con ditta individuale dove versa i contributi?",
                            [
                                ("Gestione artigiani", True, "Giusto: è un'attività artigiana."),
                                ("Gestione separata", False, "No: è per i professionisti."),
                                ("Non li versa", False, "No: i contributi sono obbligatori."),
                            ],
                        ),
                    ),
                ],
            ),
            "en": (
                "INPS contributions",
                "Separate scheme or craftspeople and traders: which one applies to you.",
                [
                    p(
                        "Contributions pay for your pension and protections. Where you pay "
                        "them depends on the work you do."
                    ),
                    h("Craftspeople and traders"),
                    p(
                        "If you run a craft or trading business you join the craftspeople or "
                        "traders scheme. There is a minimum yearly contribution of about "
                        "4,500 euros, even if you earn little. In the flat-rate regime you can "
                        "ask for a 35% reduction."
                    ),
                    h("Separate scheme"),
                    p(
                        "If you are a professional without your own fund (for example a "
                        "consultant or a graphic designer) you pay about 26% of your income "
                        "to the separate scheme (gestione separata), with no minimum."
                    ),
                    callout("Always check", ADVISER_EN, "warning"),
                    quiz(
                        "Check: taxes and contributions",
                        70,
                        (
                            "Who opens your VAT number?",
                            [
                                ("The Revenue Agency", True, "Right: you open it there."),
                                ("The municipality", False, "No: the SCIA goes to the SUAP."),
                                ("INPS", False, "No: INPS is about contributions."),
                            ],
                        ),
                        (
                            "In the flat-rate regime, up to how much can you take in a year?",
                            [
                                ("85,000 euros", True, "Right."),
                                ("30,000 euros", False, "No: the limit is higher."),
                                ("There is no limit", False, "No: there is a limit."),
                            ],
                        ),
                        (
                            "Where does a hairdresser with a sole-trader business pay "
                            "contributions?",
                            [
                                ("Craftspeople scheme", True, "Right: it is a craft business."),
                                ("Separate scheme", False, "No: that is for professionals."),
                                ("Nowhere", False, "No: contributions are compulsory."),
                            ],
                        ),
                    ),
                ],
            ),
        },
        {
            "slug": "scia-suap-e-camera-di-commercio",
            "it": (
                "SCIA al SUAP e Camera di Commercio",
                "Comunicare al Comune che inizi e iscriverti al Registro delle imprese.",
                [
                    p(
                        "Per molte attività (negozio, laboratorio, parrucchiere) devi dire al "
                        "Comune che inizi: è la SCIA, che si presenta online allo Sportello "
                        "unico per le attività produttive (SUAP)."
                    ),
                    p(
                        "Le imprese si iscrivono al Registro delle imprese della Camera di "
                        "Commercio con la Comunicazione unica (ComUnica), che avvisa insieme "
                        "anche Agenzia delle Entrate e INPS. Ogni anno paghi un diritto "
                        "camerale di qualche decina di euro."
                    ),
                    steps(
                        ("Controlla i requisiti", "Alcuni mestieri chiedono corsi o titoli."),
                        ("Presenta la SCIA al SUAP", "Puoi iniziare dal giorno dell'invio."),
                        ("Invia ComUnica", "Iscrizione alla Camera di Commercio e all'INPS."),
                    ),
                    callout("Chiedi aiuto", ADVISER_IT, "success"),
                ],
            ),
            "en": (
                "SCIA at the SUAP and the Chamber of Commerce",
                "Telling the municipality you are starting and joining the Business Register.",
                [
                    p(
                        "For many activities (a shop, a workshop, a hairdresser) you must tell "
                        "the municipality you are starting: this is the SCIA, filed online "
                        "with the one-stop shop for businesses (SUAP)."
                    ),
                    p(
                        "Businesses join the Chamber of Commerce's Business Register with the "
                        "single notice (ComUnica), which also informs the Revenue Agency and "
                        "INPS. Each year you pay a chamber fee of a few tens of euros."
                    ),
                    steps(
                        ("Check the requirements", "Some trades need courses or diplomas."),
                        ("File the SCIA with the SUAP", "You can start on the day you send it."),
                        ("Send ComUnica", "Registration with the Chamber and INPS."),
                    ),
                    callout("Ask for help", ADVISER_EN, "success"),
                ],
            ),
        },
    ],
}

DIGITAL_COURSE = {
    "slug": "vendere-online",
    "topics": ["transizione-digitale", "competenze-digitali"],
    "level": "beginner",
    "duration": 50,
    "it": {
        "title": "Vendere online con fattura elettronica e pagamenti digitali",
        "summary": "Scegliere dove vendere, emettere la fattura elettronica, accettare "
        "pagamenti con carta e rispettare le regole dell'e-commerce.",
        "outcomes": "Scegliere il canale di vendita adatto\nEmettere una fattura elettronica\n"
        "Accettare pagamenti digitali\nRispettare i diritti di chi compra online",
    },
    "en": {
        "title": "Selling online with e-invoicing and digital payments",
        "summary": "Choosing where to sell, issuing e-invoices, taking card payments and "
        "following the rules of online selling.",
        "outcomes": "Choose the right sales channel\nIssue an electronic invoice\n"
        "Accept digital payments\nRespect the rights of online buyers",
    },
    "lessons": [
        {
            "slug": "dove-vendere-online",
            "it": (
                "Dove vendere online",
                "Marketplace, social network o un sito tuo: pro e contro.",
                [
                    p(
                        "Un marketplace ti porta clienti subito ma trattiene una commissione. "
                        "I social costano poco ma chiedono tempo. Un sito tuo è più libero ma "
                        "devi farlo conoscere."
                    ),
                    checklist(
                        "Prima di scegliere, chiediti",
                        "Chi sono i miei clienti e dove cercano?",
                        "Quanto tempo ho ogni settimana?",
                        "Quanto posso spendere in commissioni?",
                    ),
                ],
            ),
            "en": (
                "Where to sell online",
                "Marketplaces, social media or your own website: pros and cons.",
                [
                    p(
                        "A marketplace brings customers at once but keeps a commission. "
                        "Social media costs little but takes time. Your own website is freer "
                        "but people must find it."
                    ),
                    checklist(
                        "Before you choose, ask yourself",
                        "Who are my customers and where do they look?",
                        "How much time do I have each week?",
                        "How much can I spend on commissions?",
                    ),
                ],
            ),
        },
        {
            "slug": "la-fattura-elettronica",
            "it": (
                "La fattura elettronica",
                "Come si emette e come arriva al cliente attraverso lo SdI.",
                [
                    p(
                        "In Italia quasi tutte le fatture sono elettroniche, anche nel regime "
                        "forfettario. Passano dal Sistema di Interscambio (SdI) dell'Agenzia "
                        "delle Entrate."
                    ),
                    steps(
                        ("Scegli lo strumento", "Il servizio gratuito dell'Agenzia o un'app."),
                        ("Inserisci i dati", "Cliente, codice destinatario o PEC, importi."),
                        ("Invia allo SdI", "Lo SdI la consegna al cliente."),
                        ("Conserva", "Le fatture si conservano per dieci anni."),
                    ),
                    term("SdI", "Il sistema che controlla e consegna le fatture elettroniche."),
                ],
            ),
            "en": (
                "Electronic invoices",
                "How to issue one and how it reaches the customer through the SdI.",
                [
                    p(
                        "In Italy almost every invoice is electronic, in the flat-rate regime "
                        "too. They go through the Revenue Agency's exchange system (SdI)."
                    ),
                    steps(
                        ("Choose a tool", "The Agency's free service or an app."),
                        ("Enter the details", "Customer, recipient code or PEC, amounts."),
                        ("Send it to the SdI", "The SdI delivers it to the customer."),
                        ("Keep it", "Invoices are kept for ten years."),
                    ),
                    term("SdI", "The system that checks and delivers electronic invoices."),
                ],
            ),
        },
        {
            "slug": "pagamenti-digitali",
            "it": (
                "Pagamenti digitali",
                "POS, link di pagamento e commissioni: farsi pagare senza contanti.",
                [
                    p(
                        "Chi vende a privati deve accettare pagamenti con carta (POS), anche "
                        "per piccoli importi. Esistono POS senza canone che costano solo una "
                        "commissione per pagamento."
                    ),
                    p(
                        "Per vendere a distanza puoi inviare un link di pagamento per e-mail o "
                        "messaggio. Confronta sempre le commissioni prima di scegliere."
                    ),
                    callout(
                        "Suggerimento",
                        "Tieni separato il conto dell'attività da quello personale: i conti "
                        "saranno più chiari.",
                        "success",
                    ),
                ],
            ),
            "en": (
                "Digital payments",
                "Card terminals, payment links and fees: getting paid without cash.",
                [
                    p(
                        "If you sell to private customers you must accept card payments, even "
                        "for small amounts. There are card terminals with no monthly fee that "
                        "only cost a commission per payment."
                    ),
                    p(
                        "To sell at a distance you can send a payment link by e-mail or "
                        "message. Always compare fees before you choose."
                    ),
                    callout(
                        "Tip",
                        "Keep your business account separate from your personal one: your "
                        "accounts will be clearer.",
                        "success",
                    ),
                ],
            ),
        },
        {
            "slug": "regole-della-vendita-online",
            "it": (
                "Le regole della vendita online",
                "Recesso, informazioni obbligatorie e privacy, in parole semplici.",
                [
                    p(
                        "Chi compra online da un privato-consumatore può cambiare idea entro "
                        "14 giorni (diritto di recesso). Sul sito devi indicare chi sei, la "
                        "partita IVA, i prezzi con le tasse e le spese di consegna."
                    ),
                    p(
                        "Se raccogli dati dei clienti devi spiegare come li usi (informativa "
                        "privacy) e usarli solo per quello."
                    ),
                    quiz(
                        "Verifica: vendere online",
                        70,
                        (
                            "Quanti giorni ha un consumatore per il recesso?",
                            [
                                ("14 giorni", True, "Giusto."),
                                ("3 giorni", False, "No: sono 14."),
                                ("Nessuno", False, "No: il diritto di recesso esiste."),
                            ],
                        ),
                        (
                            "Da dove passano le fatture elettroniche?",
                            [
                                ("Dal Sistema di Interscambio (SdI)", True, "Giusto."),
                                ("Dalla posta ordinaria", False, "No: sono elettroniche."),
                            ],
                        ),
                        (
                            "Cosa devi mostrare sul tuo sito? (più risposte)",
                            [
                                ("La partita IVA", True, "Sì, è obbligatoria."),
                                ("I prezzi con le tasse", True, "Sì."),
                                ("Il tuo reddito", False, "No, non serve."),
                            ],
                        ),
                    ),
                ],
            ),
            "en": (
                "The rules of online selling",
                "Withdrawal, required information and privacy, in plain words.",
                [
                    p(
                        "A consumer who buys online can change their mind within 14 days "
                        "(right of withdrawal). Your website must say who you are, your VAT "
                        "number, prices with taxes and delivery costs."
                    ),
                    p(
                        "If you collect customers' data you must explain how you use it "
                        "(privacy notice) and use it only for that."
                    ),
                    quiz(
                        "Check: selling online",
                        70,
                        (
                            "How many days does a consumer have to withdraw?",
                            [
                                ("14 days", True, "Right."),
                                ("3 days", False, "No: it is 14."),
                                ("None", False, "No: the right of withdrawal exists."),
                            ],
                        ),
                        (
                            "What do electronic invoices go through?",
                            [
                                ("The exchange system (SdI)", True, "Right."),
                                ("Ordinary post", False, "No: they are electronic."),
                            ],
                        ),
                        (
                            "What must your website show? (several answers)",
                            [
                                ("Your VAT number", True, "Yes, it is required."),
                                ("Prices with taxes", True, "Yes."),
                                ("Your income", False, "No, it is not needed."),
                            ],
                        ),
                    ),
                ],
            ),
        },
    ],
}

GREEN_COURSE = {
    "slug": "economia-circolare-ed-efficienza-energetica",
    "topics": ["transizione-verde"],
    "level": "beginner",
    "duration": 45,
    "it": {
        "title": "Economia circolare ed efficienza energetica: i mestieri verdi",
        "summary": "Riparare, riusare, risparmiare energia: quali lavori nascono dalla "
        "transizione verde e come iniziare.",
        "outcomes": "Spiegare cos'è l'economia circolare\nRiconoscere i mestieri della "
        "riparazione e del riuso\nSapere quali abilitazioni servono per gli impianti\n"
        "Rendere più verde la tua attività",
    },
    "en": {
        "title": "Circular economy and energy efficiency: the green trades",
        "summary": "Repairing, reusing, saving energy: which jobs come from the green "
        "transition and how to start.",
        "outcomes": "Explain what the circular economy is\nRecognise repair and reuse trades\n"
        "Know which qualifications installation work needs\nMake your business greener",
    },
    "lessons": [
        {
            "slug": "che-cose-leconomia-circolare",
            "it": (
                "Che cos'è l'economia circolare",
                "Usare le cose più a lungo: un'idea che crea lavoro.",
                [
                    p(
                        "Nell'economia circolare gli oggetti si riparano, si riusano e alla "
                        "fine si riciclano, invece di buttarli. Meno rifiuti, meno spese, più "
                        "lavoro locale."
                    ),
                    term(
                        "Economia circolare",
                        "Un modo di produrre e consumare che fa durare più a lungo oggetti e "
                        "materiali.",
                    ),
                ],
            ),
            "en": (
                "What the circular economy is",
                "Using things for longer: an idea that creates jobs.",
                [
                    p(
                        "In the circular economy objects are repaired, reused and in the end "
                        "recycled, instead of thrown away. Less waste, lower costs, more local "
                        "work."
                    ),
                    term(
                        "Circular economy",
                        "A way of producing and consuming that makes objects and materials "
                        "last longer.",
                    ),
                ],
            ),
        },
        {
            "slug": "mestieri-della-riparazione-e-del-riuso",
            "it": (
                "Mestieri della riparazione e del riuso",
                "Sartoria, elettronica, biciclette, mobili: idee di attività.",
                [
                    p(
                        "Riparare telefoni, biciclette o vestiti, restaurare mobili, vendere "
                        "usato: sono attività che si possono iniziare con pochi attrezzi."
                    ),
                    checklist(
                        "Per iniziare con poco",
                        "Parti da quello che sai già fare",
                        "Prova con i primi clienti tra conoscenti",
                        "Calcola quanto tempo ti serve per ogni riparazione",
                    ),
                    testimonial(
                        "Ho cominciato riparando bici nel cortile. Oggi ho una piccola officina.",
                        "Karim",
                        "ciclofficina, Bologna",
                    ),
                ],
            ),
            "en": (
                "Repair and reuse trades",
                "Tailoring, electronics, bicycles, furniture: business ideas.",
                [
                    p(
                        "Repairing phones, bicycles or clothes, restoring furniture, selling "
                        "second-hand goods: these are businesses you can start with few tools."
                    ),
                    checklist(
                        "To start small",
                        "Begin with what you can already do",
                        "Try with your first customers among people you know",
                        "Work out how long each repair takes you",
                    ),
                    testimonial(
                        "I started fixing bikes in the courtyard. Today I have a small workshop.",
                        "Karim",
                        "bike workshop, Bologna",
                    ),
                ],
            ),
        },
        {
            "slug": "efficienza-energetica-i-mestieri",
            "it": (
                "Efficienza energetica: i mestieri",
                "Installatori, manutentori, isolamento: che cosa serve per lavorare.",
                [
                    p(
                        "Case e negozi devono consumare meno energia: servono installatori di "
                        "pannelli solari e pompe di calore, manutentori, posatori di isolanti."
                    ),
                    p(
                        "Per installare impianti serve un'abilitazione (requisiti tecnico-"
                        "professionali). Per alcuni gas refrigeranti serve un patentino. "
                        "Informati presso la Camera di Commercio."
                    ),
                    callout("Verifica i requisiti", ADVISER_IT, "warning"),
                ],
            ),
            "en": (
                "Energy efficiency: the trades",
                "Installers, maintenance, insulation: what you need to work.",
                [
                    p(
                        "Homes and shops must use less energy: we need installers of solar "
                        "panels and heat pumps, maintenance workers, insulation fitters."
                    ),
                    p(
                        "Installing systems requires a qualification (technical and "
                        "professional requirements). Some refrigerant gases need a licence. "
                        "Ask the Chamber of Commerce."
                    ),
                    callout("Check the requirements", ADVISER_EN, "warning"),
                ],
            ),
        },
        {
            "slug": "rendere-verde-la-tua-attivita",
            "it": (
                "Rendere verde la tua attività",
                "Piccoli passi che fanno risparmiare e piacciono ai clienti.",
                [
                    steps(
                        ("Misura i consumi", "Guarda le bollette di un anno."),
                        ("Riduci gli sprechi", "Luci LED, apparecchi spenti la notte."),
                        ("Scegli fornitori locali", "Meno trasporti, meno costi."),
                        ("Dillo ai clienti", "Spiega cosa fai, con fatti concreti."),
                    ),
                    quiz(
                        "Verifica: mestieri verdi",
                        60,
                        (
                            "Che cosa fa l'economia circolare?",
                            [
                                ("Fa durare di più oggetti e materiali", True, "Giusto."),
                                ("Produce più oggetti nuovi", False, "No: il contrario."),
                            ],
                        ),
                        (
                            "Per installare impianti cosa serve?",
                            [
                                ("Un'abilitazione", True, "Giusto: ci sono requisiti."),
                                ("Niente", False, "No: servono requisiti tecnici."),
                            ],
                        ),
                    ),
                ],
            ),
            "en": (
                "Making your business green",
                "Small steps that save money and that customers like.",
                [
                    steps(
                        ("Measure your use", "Look at a year of bills."),
                        ("Cut waste", "LED lights, devices off at night."),
                        ("Choose local suppliers", "Less transport, lower costs."),
                        ("Tell your customers", "Explain what you do, with real facts."),
                    ),
                    quiz(
                        "Check: green trades",
                        60,
                        (
                            "What does the circular economy do?",
                            [
                                ("Makes objects and materials last longer", True, "Right."),
                                ("Produces more new objects", False, "No: the opposite."),
                            ],
                        ),
                        (
                            "What do you need to install systems?",
                            [
                                ("A qualification", True, "Right: there are requirements."),
                                ("Nothing", False, "No: technical requirements apply."),
                            ],
                        ),
                    ),
                ],
            ),
        },
    ],
}

GUIDES = [
    {
        "slug": "prepararsi-allincontro-con-il-commercialista",
        "topics": ["basi-legali-e-fiscali", "competenze-per-la-vita"],
        "it": (
            "Prepararsi all'incontro con il commercialista",
            "Le domande da fare e i documenti da portare al primo appuntamento.",
            [
                checklist(
                    "Porta con te",
                    "Documento e codice fiscale",
                    "Una descrizione di cosa vuoi fare",
                    "Una stima di quanto pensi di incassare",
                ),
                checklist(
                    "Chiedi",
                    "Quale codice ATECO e quale regime mi conviene?",
                    "Quanto pagherò di contributi il primo anno?",
                    "Quanto costa il tuo servizio ogni anno?",
                ),
            ],
        ),
        "en": (
            "Getting ready to meet an accountant",
            "Questions to ask and documents to bring to the first meeting.",
            [
                checklist(
                    "Bring",
                    "ID and tax code",
                    "A description of what you want to do",
                    "An estimate of what you expect to take",
                ),
                checklist(
                    "Ask",
                    "Which ATECO code and which regime suit me?",
                    "How much will I pay in contributions the first year?",
                    "How much does your service cost each year?",
                ),
            ],
        ),
    },
    {
        "slug": "microcredito-e-finanziamenti",
        "topics": ["finanza-e-credito", "avviare-un-attivita"],
        "it": (
            "Microcredito e finanziamenti per chi inizia",
            "Piccoli prestiti e finanziamenti agevolati anche senza garanzie.",
            [
                p(
                    "Il microcredito è un piccolo prestito per chi non ha garanzie da dare "
                    "alla banca, spesso con un tutor che ti accompagna."
                ),
                p(
                    "Esistono anche finanziamenti agevolati e a fondo perduto per nuove "
                    "imprese, nazionali e regionali. Controlla sempre i requisiti del bando."
                ),
                callout("Prima di chiedere un prestito", ADVISER_IT, "warning"),
            ],
        ),
        "en": (
            "Microcredit and funding for beginners",
            "Small loans and subsidised funding even without guarantees.",
            [
                p(
                    "Microcredit is a small loan for people with no guarantees to give a "
                    "bank, often with a tutor who supports you."
                ),
                p(
                    "There are also subsidised loans and grants for new businesses, national "
                    "and regional. Always check the call's requirements."
                ),
                callout("Before you ask for a loan", ADVISER_EN, "warning"),
            ],
        ),
    },
]

OPPORTUNITIES = [
    {
        "slug": "microcredito-per-nuove-imprese",
        "kind": "funding",
        "days": 45,
        "link": "https://www.microcredito.gov.it/",
        "organiser": "Ente Nazionale per il Microcredito",
        "topics": ["finanza-e-credito"],
        "it": (
            "Microcredito per avviare un'impresa",
            "Prestiti fino a qualche decina di migliaia di euro, senza garanzie reali, con "
            "servizi di tutoraggio.",
        ),
        "en": (
            "Microcredit to start a business",
            "Loans of up to a few tens of thousands of euros, without collateral, with "
            "mentoring services.",
        ),
    },
    {
        "slug": "incentivi-nuove-imprese-invitalia",
        "kind": "funding",
        "days": 60,
        "link": "https://www.invitalia.it/",
        "organiser": "Invitalia",
        "topics": ["finanza-e-credito", "avviare-un-attivita"],
        "it": (
            "Incentivi nazionali per nuove imprese",
            "Finanziamenti agevolati e contributi per chi avvia un'impresa: verifica sul sito "
            "gli strumenti aperti e le scadenze.",
        ),
        "en": (
            "National incentives for new businesses",
            "Subsidised loans and grants for people starting a business: check the website "
            "for open schemes and deadlines.",
        ),
    },
    {
        "slug": "repair-cafe-in-comune",
        "kind": "event",
        "days": 20,
        "link": "https://example.org/repair-cafe",
        "organiser": "Comune",
        "location": "Biblioteca comunale",
        "topics": ["transizione-verde"],
        "it": (
            "Repair café: incontra chi ripara",
            "Un pomeriggio per conoscere artigiani della riparazione e provare a riparare "
            "insieme. Ingresso libero.",
        ),
        "en": (
            "Repair café: meet people who repair",
            "An afternoon to meet repair craftspeople and try repairing together. Free entry.",
        ),
    },
    {
        "slug": "domanda-di-installatori-di-pompe-di-calore",
        "kind": "market",
        "days": 90,
        "link": "https://www.enea.it/",
        "organiser": "ENEA",
        "topics": ["transizione-verde"],
        "it": (
            "Cresce la domanda di installatori di pompe di calore",
            "Famiglie e imprese cambiano impianti per consumare meno: mancano tecnici "
            "qualificati. Informati su formazione e abilitazioni.",
        ),
        "en": (
            "Growing demand for heat pump installers",
            "Families and businesses are replacing systems to use less energy: qualified "
            "technicians are scarce. Find out about training and qualifications.",
        ),
    },
]


# --- Loading -------------------------------------------------------------------------------


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _without_ids(data):
    # List items get fresh ids each time a stream is built: compare content only.
    if isinstance(data, dict):
        return {key: _without_ids(item) for key, item in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _db_value(page: Page, name: str, value):
    if hasattr(value, "_meta"):  # a related object: compare by primary key
        return value.pk
    if isinstance(value, StreamValue):
        return _without_ids(json.loads(json.dumps(value.get_prep_value(), cls=DjangoJSONEncoder)))
    return page._meta.get_field(name).get_prep_value(value)


def _apply(page: Page, fields: dict) -> bool:
    """Set ``fields`` on ``page``; True when something changed (a second run changes nothing,
    so it adds no revisions)."""
    changed = False
    for name, value in fields.items():
        if _db_value(page, name, getattr(page, name)) != _db_value(page, name, value):
            setattr(page, name, value)
            changed = True
    return changed


def _upsert_child(parent: Page, model, slug: str, fields: dict) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        return _publish(page)
    if _apply(page, fields) or not page.live:
        _publish(page)
    return page


def _translate(page: Page, locale: Locale, fields: dict) -> Page:
    translation = page.get_translation_or_none(locale)
    created = translation is None
    if created:
        translation = page.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    if _apply(translation, fields) or created or not translation.live:
        _publish(translation)
    return translation


def _set_topics(page: Page, topics: list) -> None:
    if {topic.pk for topic in page.topics.all()} != {topic.pk for topic in topics}:
        page.topics.set(topics)
        _publish(page)


def _load_page(parent, model, slug, fields_it, fields_en=None, *, english=None, topics=None):
    """The one way demo pages are made: the Italian page by slug, its topics, then its English
    translation (when ``english`` is given; a course's lessons are translated after the course,
    so the English course is copied with its lesson list). Idempotent: a second run finds
    everything and changes nothing."""
    page = _upsert_child(parent, model, slug, fields_it)
    if topics is not None:
        _set_topics(page, topics)
    if english is not None:
        _translate(page, english, fields_en)
    return page


def _load_topics(italian: Locale, english: Locale) -> dict[str, Topic]:
    topics = {}
    for slug, name_it, name_en, section, description_it, description_en in TOPICS:
        topic, _ = Topic.objects.update_or_create(
            locale=italian,
            slug=slug,
            defaults={
                "name": name_it,
                "description": description_it,
                "business_plan_section": section,
            },
        )
        translation = topic.get_translation_or_none(english)
        if translation is None:
            translation = topic.copy_for_translation(english)
        translation.name = name_en
        translation.description = description_en
        translation.business_plan_section = section
        translation.save()
        topics[slug] = topic
    return topics


def _resource_fields(data: dict, key: str, language: str) -> dict:
    title, summary, blocks = data[language]
    return {"title": title, "summary": summary, "body": body(key, blocks)}


def _load_course(library, english, topics, course_data) -> tuple[CoursePage, list[LessonPage]]:
    slug = course_data["slug"]
    course_fields = {
        "title": course_data["it"]["title"],
        "summary": course_data["it"]["summary"],
        "learning_outcomes": course_data["it"]["outcomes"],
        "level": course_data["level"],
        "duration_minutes": course_data["duration"],
    }
    course = _upsert_child(library, CoursePage, slug, course_fields)
    _set_topics(course, [topics[name] for name in course_data["topics"]])
    lessons = []
    for lesson_data in course_data["lessons"]:
        lessons.append(
            _load_page(
                course,
                LessonPage,
                lesson_data["slug"],
                _resource_fields(lesson_data, lesson_data["slug"], "it"),
                topics=[topics[name] for name in course_data["topics"]],
            )
        )
    if [row.lesson_id for row in course.course_lessons.all()] != [le.pk for le in lessons]:
        CourseLesson.objects.filter(course=course).delete()
        for order, lesson in enumerate(lessons):
            CourseLesson.objects.create(course=course, lesson=lesson, sort_order=order)
        course = CoursePage.objects.get(pk=course.pk)
        _publish(course)
    _translate(
        course,
        english,
        {
            "title": course_data["en"]["title"],
            "summary": course_data["en"]["summary"],
            "learning_outcomes": course_data["en"]["outcomes"],
        },
    )
    for lesson, lesson_data in zip(lessons, course_data["lessons"], strict=True):
        _translate(lesson, english, _resource_fields(lesson_data, lesson_data["slug"], "en"))
    return course, lessons


def load(*, site, home_page, users=None, stdout=None) -> dict:
    """Create or update the library, its topics, three courses, guides and opportunities."""
    italian = home_page.locale
    english = Locale.objects.get_or_create(language_code="en")[0]
    topics = _load_topics(italian, english)

    library = _load_page(
        home_page,
        LibraryIndexPage,
        "biblioteca",
        {
            "title": "Biblioteca",
            "introduction": "Corsi brevi, guide e opportunità per chi vuole lavorare in "
            "proprio. Si legge anche dal telefono, senza account.",
        },
        {
            "title": "Library",
            "slug": "library",
            "introduction": "Short courses, guides and opportunities for people who want to "
            "work for themselves. Readable on a phone, no account needed.",
        },
        english=english,
    )

    for slug, name_it, name_en, _section, description_it, description_en in TOPICS:
        _load_page(
            library,
            TopicPage,
            slug,
            {"title": name_it, "topic": topics[slug], "introduction": description_it},
            {"title": name_en, "introduction": description_en},
            english=english,
        )

    courses = [
        _load_course(library, english, topics, data)
        for data in (LEGAL_COURSE, DIGITAL_COURSE, GREEN_COURSE)
    ]

    for guide_data in GUIDES:
        _load_page(
            library,
            GuidePage,
            guide_data["slug"],
            _resource_fields(guide_data, guide_data["slug"], "it"),
            _resource_fields(guide_data, guide_data["slug"], "en"),
            english=english,
            topics=[topics[name] for name in guide_data["topics"]],
        )

    today = timezone.localdate()
    for data in OPPORTUNITIES:
        title_it, summary_it = data["it"]
        title_en, summary_en = data["en"]
        _load_page(
            library,
            OpportunityPage,
            data["slug"],
            {
                "title": title_it,
                "summary": summary_it,
                "kind": data["kind"],
                "deadline": today + datetime.timedelta(days=data["days"]),
                "link": data["link"],
                "organiser": data["organiser"],
                "location": data.get("location", ""),
            },
            {"title": title_en, "summary": summary_en},
            english=english,
            topics=[topics[name] for name in data["topics"]],
        )

    if stdout is not None:
        lesson_count = sum(len(lessons) for _, lessons in courses)
        stdout.write(
            f"Learning library: {len(topics)} topics, {len(courses)} courses, "
            f"{lesson_count} lessons, {len(GUIDES)} guides, {len(OPPORTUNITIES)} opportunities "
            "(Italian and English)."
        )
    return {"library": library, "courses": [course for course, _ in courses]}
