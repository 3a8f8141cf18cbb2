"""The demo municipality's full privacy notice (GDPR articles 13 and 14), in Italian and English.

A realistic example for a municipality running the ESF+ self-employment path: the controller,
the data protection officer, each purpose with its legal basis, who receives what, how long
records are kept, the person's rights and how to complain to the Garante. Each municipality
publishes its own; coaching's ``PrivacyNotice`` of the site points at this page.
"""


def _h2(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def _p(html: str) -> tuple[str, str]:
    return ("paragraph", html)


PRIVACY_INTRODUCTION_IT = (
    "Come il Comune tratta i tuoi dati personali nel percorso Avvio e quali sono i tuoi diritti."
)
PRIVACY_INTRODUCTION_EN = (
    "How the municipality processes your personal data in the Avvio path, and what your rights are."
)

PRIVACY_BODY_IT = [
    _p(
        "<p>Questa informativa spiega come usiamo i dati personali di chi si iscrive al "
        "percorso Avvio per il lavoro autonomo, ai sensi degli articoli 13 e 14 del "
        "Regolamento (UE) 2016/679 (GDPR) e del Codice in materia di protezione dei dati "
        "personali (d.lgs. 196/2003). Versione 2026-01, in vigore dal 1° gennaio 2026.</p>"
    ),
    _h2("Chi è il titolare del trattamento"),
    _p(
        "<p>Il titolare è il <b>Comune di Esempio</b>, via Roma 1, 80100 Esempio (NA), "
        "PEC protocollo@pec.comune.esempio.it, telefono +39 081 000 0000.</p>"
    ),
    _h2("Responsabile della protezione dei dati (RPD/DPO)"),
    _p(
        "<p>Puoi scrivere al Responsabile della protezione dei dati del Comune per ogni "
        "domanda sui tuoi dati: rpd@comune.esempio.it, oppure per posta al Comune, "
        "all'attenzione del RPD.</p>"
    ),
    _h2("Quali dati trattiamo"),
    _p(
        "<ul>"
        "<li>dati di contatto e di account: nome, indirizzo e-mail, telefono, comune di "
        "residenza, lingue parlate;</li>"
        "<li>dati per valutare se puoi partecipare e per gli indicatori del Fondo sociale "
        "europeo plus (FSE+): anno e mese di nascita, genere, cittadinanza, situazione "
        "lavorativa, titolo di studio, situazione abitativa;</li>"
        "<li>la tua idea d'impresa, i tuoi bisogni e le preferenze sul mentore;</li>"
        "<li>il tuo percorso: incontri, lezioni e quiz svolti, attestati, messaggi, esito "
        "all'uscita e verifiche successive;</li>"
        "<li>solo se acconsenti: disabilità e appartenenza a una minoranza (dati "
        "particolari, articolo 9 GDPR);</li>"
        "<li>il registro degli accessi: chi del personale ha aperto o modificato la tua "
        "scheda, e quando.</li>"
        "</ul>"
    ),
    _h2("Perché li trattiamo e su quale base giuridica"),
    _p(
        "<ul>"
        "<li><b>Gestire il percorso</b> (domanda, decisione, formazione, mentore, "
        "contributo): compito di interesse pubblico del Comune (articolo 6, paragrafo 1, "
        "lettera e GDPR; articolo 2-ter del Codice).</li>"
        "<li><b>Rendicontare il programma FSE+</b>: obbligo di legge (articolo 6, "
        "paragrafo 1, lettera c GDPR) previsto dal Regolamento (UE) 2021/1057, articolo 17 "
        "e allegato I (indicatori sui partecipanti), e dal Regolamento (UE) 2021/1060, "
        "articoli 72 e 82 (registrazione e conservazione dei dati per i controlli).</li>"
        "<li><b>Domande facoltative su disabilità e minoranze</b>: il tuo consenso esplicito "
        "(articolo 9, paragrafo 2, lettera a GDPR). Se non rispondi non cambia nulla per "
        "la tua domanda.</li>"
        "<li><b>Mostrare i tuoi progressi al mentore</b> e <b>ricontattarti dopo il "
        "percorso</b>: il tuo consenso (articolo 6, paragrafo 1, lettera a GDPR).</li>"
        "<li><b>Sicurezza e registro degli accessi</b>: obbligo di proteggere i dati "
        "(articoli 5, paragrafo 2, e 32 GDPR).</li>"
        "</ul>"
        "<p>I dati di contatto e quelli per valutare la domanda sono necessari: senza, non "
        "possiamo esaminarla. Nessuna decisione è presa in modo automatico: decide sempre "
        "una persona del coordinamento.</p>"
    ),
    _h2("A chi comunichiamo i dati"),
    _p(
        "<ul>"
        "<li>al personale del Comune autorizzato che segue il percorso (coordinamento), e "
        "solo per quanto serve al suo lavoro;</li>"
        "<li>al tuo mentore, solo se acconsenti, e solo il profilo e i progressi, mai i "
        "dati particolari;</li>"
        "<li>all'Autorità di gestione del Programma nazionale Metro plus e città medie Sud "
        "2021-2027 (Agenzia per la coesione territoriale): gli indicatori FSE+ contati senza "
        "nomi, collegati solo al tuo codice di partecipante;</li>"
        "<li>agli organismi di controllo del programma (Autorità di audit, Commissione "
        "europea, Corte dei conti europea, OLAF), che durante una verifica possono "
        "esaminare i documenti che il Comune conserva;</li>"
        "<li>al fornitore che gestisce il sito per conto del Comune, nominato responsabile "
        "del trattamento (articolo 28 GDPR), con server nell'Unione europea.</li>"
        "</ul>"
        "<p>Il programma non invia i tuoi dati all'Agenzia delle Entrate, all'INPS o "
        "all'Ispettorato del lavoro. Li consegniamo ad altre autorità, per esempio a un "
        "giudice, solo quando una legge ci obbliga. Non trasferiamo dati fuori dall'Unione "
        "europea e non li usiamo per pubblicità.</p>"
    ),
    _h2("Per quanto tempo li conserviamo"),
    _p(
        "<ul>"
        "<li>i documenti e gli indicatori richiesti dal programma FSE+: per cinque anni dal "
        "31 dicembre dell'anno in cui il progetto riceve l'ultimo pagamento (Regolamento "
        "(UE) 2021/1060, articolo 82), poi li cancelliamo;</li>"
        "<li>i dati di contatto, l'idea, i bisogni, i messaggi e le risposte facoltative: "
        "finché partecipi o finché non chiedi di cancellarli;</li>"
        "<li>le risposte su disabilità e minoranze: le cancelliamo subito se ritiri il "
        "consenso;</li>"
        "<li>il registro degli accessi: per lo stesso periodo dei documenti FSE+, per "
        "dimostrare che i dati sono stati trattati in modo corretto.</li>"
        "</ul>"
    ),
    _h2("I tuoi diritti"),
    _p(
        "<p>Puoi chiedere in ogni momento di vedere i tuoi dati e averne una copia, di "
        "correggerli, di cancellarli (tranne quelli che la legge ci obbliga a conservare), "
        "di limitarne l'uso e di opporti al trattamento (articoli 15-22 GDPR). Puoi "
        "ritirare un consenso quando vuoi: vale da quel momento.</p>"
        "<p>Molte cose puoi farle direttamente nella tua pagina del percorso: vedere e "
        "scaricare i tuoi dati, cambiare i consensi, chiedere la cancellazione. Per tutto il "
        "resto scrivi al RPD o vieni allo Sportello Avvio. Rispondiamo entro un mese.</p>"
    ),
    _h2("Reclamo al Garante"),
    _p(
        "<p>Se pensi che trattiamo i tuoi dati in modo non corretto, puoi presentare "
        "reclamo al <b>Garante per la protezione dei dati personali</b>, piazza Venezia 11, "
        "00187 Roma, www.garanteprivacy.it, protocollo@pec.gpdp.it (articolo 77 GDPR), "
        "oppure rivolgerti al giudice (articolo 79 GDPR).</p>"
    ),
]

PRIVACY_BODY_EN = [
    _p(
        "<p>This notice explains how we use the personal data of people who join the Avvio "
        "self-employment path, under articles 13 and 14 of Regulation (EU) 2016/679 (GDPR) "
        "and the Italian Data Protection Code (Legislative Decree 196/2003). Version 2026-01, "
        "in force from 1 January 2026.</p>"
    ),
    _h2("Who is the data controller"),
    _p(
        "<p>The controller is the <b>Municipality of Esempio</b> (Comune di Esempio), "
        "via Roma 1, 80100 Esempio (NA), Italy, certified e-mail "
        "protocollo@pec.comune.esempio.it, telephone +39 081 000 0000.</p>"
    ),
    _h2("Data protection officer (DPO)"),
    _p(
        "<p>You can write to the municipality's data protection officer with any question "
        "about your data: rpd@comune.esempio.it, or by post to the municipality, for the "
        "attention of the DPO.</p>"
    ),
    _h2("What data we process"),
    _p(
        "<ul>"
        "<li>contact and account details: name, e-mail address, phone, town where you live, "
        "languages you speak;</li>"
        "<li>data to check whether you can take part and for the indicators of the European "
        "Social Fund Plus (ESF+): year and month of birth, gender, citizenship, work "
        "situation, education, housing situation;</li>"
        "<li>your business idea, your needs and your mentor preferences;</li>"
        "<li>your path: meetings, lessons and quizzes done, certificates, messages, your "
        "situation when you leave and the follow-up checks;</li>"
        "<li>only if you agree: disability and belonging to a minority (special-category "
        "data, GDPR article 9);</li>"
        "<li>the access log: which staff member opened or changed your record, and when.</li>"
        "</ul>"
    ),
    _h2("Why we process it, and on what legal basis"),
    _p(
        "<ul>"
        "<li><b>Running the path</b> (application, decision, training, mentor, grant): a "
        "task the municipality carries out in the public interest (GDPR article 6(1)(e); "
        "article 2-ter of the Italian Code).</li>"
        "<li><b>Reporting on the ESF+ programme</b>: a legal obligation (GDPR article "
        "6(1)(c)) set by Regulation (EU) 2021/1057, article 17 and Annex I (indicators on "
        "participants), and by Regulation (EU) 2021/1060, articles 72 and 82 (recording "
        "and keeping data for checks).</li>"
        "<li><b>Optional questions on disability and minorities</b>: your explicit consent "
        "(GDPR article 9(2)(a)). If you do not answer, nothing changes for your "
        "application.</li>"
        "<li><b>Showing your progress to your mentor</b> and <b>contacting you after the "
        "path</b>: your consent (GDPR article 6(1)(a)).</li>"
        "<li><b>Security and the access log</b>: the duty to protect the data (GDPR "
        "articles 5(2) and 32).</li>"
        "</ul>"
        "<p>Contact details and the data needed to assess the application are required: "
        "without them we cannot consider it. No decision is automated: a coordinator always "
        "decides.</p>"
    ),
    _h2("Who receives the data"),
    _p(
        "<ul>"
        "<li>the authorised municipal staff who run the path (coordinators), only as far as "
        "their work needs;</li>"
        "<li>your mentor, only if you agree, and only your profile and progress, never "
        "special-category data;</li>"
        "<li>the managing authority of the National Programme Metro plus e città medie Sud "
        "2021-2027 (Agenzia per la coesione territoriale): the ESF+ indicators counted "
        "without names, linked only to your participant reference;</li>"
        "<li>the programme's audit bodies (audit authority, European Commission, European "
        "Court of Auditors, OLAF), which may examine the records the municipality keeps "
        "during a check;</li>"
        "<li>the company that runs the website for the municipality, appointed as processor "
        "(GDPR article 28), with servers in the European Union.</li>"
        "</ul>"
        "<p>The programme does not send your data to the tax authority (Agenzia delle "
        "Entrate), the social security institute (INPS) or the labour inspectorate. We hand "
        "data to other authorities, for example a court, only when a law obliges us to. We "
        "do not transfer data outside the European Union and do not use it for "
        "advertising.</p>"
    ),
    _h2("How long we keep it"),
    _p(
        "<ul>"
        "<li>the records and indicators the ESF+ programme requires: five years from 31 "
        "December of the year in which the project receives its last payment (Regulation "
        "(EU) 2021/1060, article 82), then we delete them;</li>"
        "<li>contact details, the idea, needs, messages and optional answers: while you take "
        "part, or until you ask us to delete them;</li>"
        "<li>answers on disability and minorities: deleted at once if you withdraw your "
        "consent;</li>"
        "<li>the access log: for the same period as the ESF+ records, to show that the data "
        "was handled correctly.</li>"
        "</ul>"
    ),
    _h2("Your rights"),
    _p(
        "<p>At any time you can ask to see your data and get a copy, to correct it, to "
        "delete it (except what the law obliges us to keep), to restrict its use and to "
        "object to its processing (GDPR articles 15 to 22). You can withdraw a consent "
        "whenever you like: it applies from then on.</p>"
        "<p>You can do much of this yourself on your path page: see and download your data, "
        "change your consents, ask for erasure. For anything else, write to the DPO or come "
        "to the Avvio desk. We answer within one month.</p>"
    ),
    _h2("Complaints to the Garante"),
    _p(
        "<p>If you think we process your data wrongly, you can complain to the Italian data "
        "protection authority, the <b>Garante per la protezione dei dati personali</b>, "
        "piazza Venezia 11, 00187 Rome, www.garanteprivacy.it, protocollo@pec.gpdp.it (GDPR "
        "article 77), or go to court (GDPR article 79).</p>"
    ),
]
