<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fil" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Suriin at kumpirmahin</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>Humingi ka ng tulong para sa:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>Pumayag kang ibigay sa amin ang iyong impormasyon.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>Magpapatuloy ka nang hindi ibinibigay ang iyong impormasyon.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>Sandali lang, inihahanda namin ang iyong numero</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Kumpirmahin at kumuha ng numero</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>Nandiyan ka pa ba?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>Para protektahan ang iyong impormasyon, sa loob ng %1 segundo ay buburahin ang lahat at magsisimula muli.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Oo, magpapatuloy ako</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — mga tinawag na numero</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>Wala pang tinatawag na numero.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Mga tinawag na numero</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>Mga naghihintay: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Numero %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>Sino ka?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Isulat ang iyong codice fiscale, o ilapit ang barcode ng iyong health card sa reader.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Magpatuloy</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>Walang codice fiscale? Sabihin lang ang iyong pangalan.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>Pangalan</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Telepono (kung gusto mo)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Magpatuloy gamit ang pangalan</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Magsimula muli</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Bumalik</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Basahin nang malakas</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — pagtanggap</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>Isang pribadong pag-uusap</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>Ano ang kailangan mo?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Pindutin ang isa o higit pang kahon.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>Kung gusto mo, magsulat ng ilang salita pa</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Magpatuloy</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>Hindi gumagana ang kiosk na ito. Mangyaring lumapit sa isang kawani.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>Para sa kawani: kailangang i-enroll muli ang kiosk gamit ang %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Ang iyong impormasyon</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>Ginagamit ng Lungsod ng Roma ang impormasyong ibibigay mo para lamang tulungan ka: para maunawaan kung ano ang kailangan mo at para maghanda sa pakikipagkita sa iyo.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Mananatili ang impormasyon sa sistema ng mga serbisyong panlipunan. Walang ibang makakakita nito, at hindi ito ipapakita sa screen na ito sa susunod na tao.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>Maaari ka ring magpatuloy nang hindi ibinibigay ang iyong impormasyon: makakatanggap ka pa rin ng numero at pakikinggan ka.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>Maaari kang humiling sa desk na makita, itama o burahin ang iyong impormasyon.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Magpatuloy nang hindi ibinibigay ang impormasyon ko</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>Sumasang-ayon ako</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Laki ng teksto</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Ang iyong numero</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>Walang nauuna sa iyo.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>Mga nauuna sa iyo: %1. Tinatayang paghihintay: mga %2 minuto.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>QR code ng iyong numero</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Tandaan ang iyong numero o kunan ito ng litrato: walang printer.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Ipinapi-print ang iyong tiket…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Kunin ang iyong na-print na tiket.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>Hindi gumagana ang printer: tandaan ang iyong numero o kunan ito ng litrato.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>Tatawagin ka namin sa numero, hindi sa pangalan. Tingnan ang screen sa waiting room.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Tapos na</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Maligayang pagdating sa mga serbisyong panlipunan</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Pindutin ang iyong wika para magsimula.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Mga wika</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>Hindi maitala ang iyong kahilingan. Mangyaring pumunta sa desk.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>Letra at numero lang ang laman ng codice fiscale. Pakisuri ito sa iyong health card.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 sa 16 na karakter</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>May 16 na karakter ang codice fiscale: baka may sobrang naisulat.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>Tama ang codice fiscale.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>Mukhang hindi tama ang code na ito. Pakisuri ito sa iyong health card, o magpatuloy nang wala ito: ayos lang.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Isulat ang iyong pangalan, o bumalik at magpatuloy nang walang impormasyon.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Pindutin ang kahit isang kahon: ang pinakamalapit sa iyong kailangan.</translation>
    </message>
  </context>
</TS>