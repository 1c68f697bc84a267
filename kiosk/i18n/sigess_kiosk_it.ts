<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it" sourcelanguage="it">
<context>
    <name>ConfirmPage</name>
    <message>
        <source>Controlli e confermi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ha chiesto aiuto per:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lei ha accettato di darci i suoi dati.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lei continua senza dare i suoi dati.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Un momento, prepariamo il suo numero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conferma e prendi il numero</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CountdownOverlay</name>
    <message>
        <source>È ancora qui?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sì, continuo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisplayWindow</name>
    <message>
        <source>SIgeSS — numeri chiamati</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nessun numero chiamato per ora.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numeri chiamati</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Persone in attesa: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numero %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentifyPage</name>
    <message>
        <source>Chi è lei?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codice fiscale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continua</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Telefono (se vuole)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continua con il nome</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskPage</name>
    <message>
        <source>Ricomincia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indietro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leggi ad alta voce</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>SIgeSS — accoglienza</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NeedModel</name>
    <message>
        <source>Un colloquio riservato</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NeedsPage</name>
    <message>
        <source>Di cosa ha bisogno?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tocchi uno o più riquadri.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se vuole, scriva qualche parola in più</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continua</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutOfServiceOverlay</name>
    <message>
        <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <source>I suoi dati</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continuo senza dare i miei dati</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accetto</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TextSizeControl</name>
    <message>
        <source>Dimensione del testo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketPage</name>
    <message>
        <source>Il suo numero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Non c&apos;è nessuno prima di lei.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codice QR del suo numero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ricordi il suo numero o lo fotografi: non c&apos;è una stampante.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stampa del biglietto in corso…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prenda il biglietto stampato.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d&apos;attesa.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fine</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Benvenuto ai servizi sociali</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tocchi la sua lingua per cominciare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lingue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
        <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 caratteri su 16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Il codice fiscale è corretto.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
