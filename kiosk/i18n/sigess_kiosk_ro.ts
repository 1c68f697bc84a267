<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ro" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Verificați și confirmați</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>Ați cerut ajutor pentru:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>Ați acceptat să ne dați datele dumneavoastră.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>Continuați fără să dați datele dumneavoastră.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>Un moment, vă pregătim numărul</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Confirmați și luați un număr</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>Mai sunteți aici?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>Pentru a vă proteja datele, în %1 secunde totul va fi șters și se va începe din nou.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Da, continui</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — numere chemate</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>Niciun număr chemat deocamdată.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Numere chemate</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>Persoane care așteaptă: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Numărul %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>Cine sunteți?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Scrieți codul fiscal sau apropiați codul de bare al cardului de sănătate de cititor.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Cod fiscal</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuați</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>Nu aveți cod fiscal? Spuneți-ne doar prenumele.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>Prenume</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Telefon (dacă doriți)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Continuați cu prenumele</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Începeți din nou</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Înapoi</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Citește cu voce tare</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — primire</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>O discuție confidențială</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>De ce aveți nevoie?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Atingeți una sau mai multe casete.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>Dacă doriți, scrieți câteva cuvinte în plus</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuați</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>Acest chioșc nu funcționează. Vă rugăm să vă adresați personalului.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>Pentru personal: chioșcul trebuie înregistrat din nou cu %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Datele dumneavoastră</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>Primăria Romei folosește datele pe care ni le dați doar pentru a vă ajuta: pentru a înțelege de ce aveți nevoie și pentru a se pregăti să vă întâlnească.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Datele rămân în sistemul serviciilor sociale. Nimeni altcineva nu le vede și nu sunt niciodată afișate pe acest ecran persoanei care vine după dumneavoastră.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>Puteți continua și fără să dați datele: veți primi oricum un număr și veți fi ascultat.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>Puteți cere la ghișeu să vedeți, să corectați sau să ștergeți datele.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Continui fără să dau datele mele</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>Accept</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Mărimea textului</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Numărul dumneavoastră</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>Nu este nimeni înaintea dumneavoastră.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>Persoane înaintea dumneavoastră: %1. Așteptare estimată: aproximativ %2 minute.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>Codul QR al numărului dumneavoastră</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Rețineți numărul sau fotografiați-l: nu există imprimantă.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Se tipărește bonul…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Luați bonul tipărit.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>Imprimanta nu funcționează: rețineți numărul sau fotografiați-l.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>Vă vom chema după număr, niciodată după nume. Urmăriți ecranul din sala de așteptare.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Gata</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Bine ați venit la serviciile sociale</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Atingeți limba dumneavoastră pentru a începe.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Limbi</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>Cererea dumneavoastră nu a putut fi înregistrată. Vă rugăm să mergeți la ghișeu.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>Codul fiscal conține doar litere și cifre. Verificați-l pe cardul de sănătate.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 din 16 caractere</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>Codul fiscal are 16 caractere: poate ați scris unul în plus.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>Codul fiscal este corect.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>Acest cod nu pare corect. Verificați-l pe cardul de sănătate sau continuați fără el: este în regulă.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Scrieți prenumele sau întoarceți-vă și continuați fără date.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Atingeți cel puțin o casetă: cea mai apropiată de nevoia dumneavoastră.</translation>
    </message>
  </context>
</TS>