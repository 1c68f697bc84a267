<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bn" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>দেখে নিন এবং নিশ্চিত করুন</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>আপনি সাহায্য চেয়েছেন:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>আপনি আপনার তথ্য দিতে রাজি হয়েছেন।</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>আপনি তথ্য না দিয়ে এগিয়ে যাচ্ছেন।</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>একটু অপেক্ষা করুন, আপনার নম্বর তৈরি হচ্ছে</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>নিশ্চিত করুন এবং নম্বর নিন</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>আপনি কি এখনও আছেন?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>আপনার তথ্য রক্ষা করতে %1 সেকেন্ড পরে সবকিছু মুছে যাবে এবং আবার শুরু হবে।</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>হ্যাঁ, চালিয়ে যাব</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — ডাকা নম্বর</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>এখনও কোনো নম্বর ডাকা হয়নি।</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>ডাকা নম্বর</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>অপেক্ষমাণ মানুষ: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>নম্বর %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>আপনি কে?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>আপনার কোদিচে ফিসকালে লিখুন, অথবা স্বাস্থ্য কার্ডের বারকোডটি রিডারের কাছে ধরুন।</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>কোদিচে ফিসকালে</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>এগিয়ে যান</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>কোদিচে ফিসকালে নেই? শুধু আপনার নাম বলুন।</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>নাম</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>ফোন (যদি চান)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>নাম দিয়ে এগিয়ে যান</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>আবার শুরু করুন</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>পেছনে</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>জোরে পড়ে শোনান</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — অভ্যর্থনা</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>একটি গোপন কথোপকথন</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>আপনার কী দরকার?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>এক বা একাধিক ঘরে স্পর্শ করুন।</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>চাইলে আরও কয়েকটি কথা লিখুন</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>এগিয়ে যান</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>এই কিয়স্কটি এখন চালু নেই। অনুগ্রহ করে কোনো কর্মীর সাথে কথা বলুন।</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>কর্মীদের জন্য: কিয়স্কটি আবার নিবন্ধন করতে হবে এই কমান্ড দিয়ে: %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>আপনার তথ্য</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>রোম পৌরসভা আপনার দেওয়া তথ্য শুধু আপনাকে সাহায্য করার জন্য ব্যবহার করে: আপনার কী দরকার তা বুঝতে এবং আপনার সাথে দেখা করার প্রস্তুতি নিতে।</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>তথ্য সমাজসেবা ব্যবস্থার মধ্যেই থাকে। অন্য কেউ তা দেখে না, এবং আপনার পরে যিনি আসবেন তাঁকে এই পর্দায় কখনও দেখানো হয় না।</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>আপনি তথ্য না দিয়েও এগোতে পারেন: তবুও আপনি একটি নম্বর পাবেন এবং আপনার কথা শোনা হবে।</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>আপনি কাউন্টারে গিয়ে আপনার তথ্য দেখতে, সংশোধন করতে বা মুছে ফেলতে বলতে পারেন।</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>আমার তথ্য না দিয়ে এগিয়ে যাব</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>আমি রাজি</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>লেখার আকার</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>আপনার নম্বর</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>আপনার আগে কেউ নেই।</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>আপনার আগে আছেন: %1 জন। আনুমানিক অপেক্ষা: প্রায় %2 মিনিট।</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>আপনার নম্বরের QR কোড</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>আপনার নম্বর মনে রাখুন বা ছবি তুলে নিন: এখানে প্রিন্টার নেই।</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>আপনার টিকিট ছাপা হচ্ছে…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>ছাপা টিকিটটি নিয়ে নিন।</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>প্রিন্টার কাজ করছে না: আপনার নম্বর মনে রাখুন বা ছবি তুলে নিন।</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>আমরা আপনাকে নম্বর ধরে ডাকব, কখনও নাম ধরে নয়। অপেক্ষাকক্ষের পর্দায় চোখ রাখুন।</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>শেষ</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>সমাজসেবায় আপনাকে স্বাগতম</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>শুরু করতে আপনার ভাষায় স্পর্শ করুন।</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>ভাষা</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>আপনার অনুরোধ নথিভুক্ত করা যায়নি। অনুগ্রহ করে কাউন্টারে যান।</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>কোদিচে ফিসকালেতে শুধু অক্ষর ও সংখ্যা থাকে। স্বাস্থ্য কার্ডে মিলিয়ে দেখুন।</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>১৬টির মধ্যে %1টি অক্ষর</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>কোদিচে ফিসকালেতে ১৬টি অক্ষর থাকে: হয়তো একটি বেশি লেখা হয়েছে।</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>কোদিচে ফিসকালে সঠিক।</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>এই কোডটি সঠিক মনে হচ্ছে না। স্বাস্থ্য কার্ডে মিলিয়ে দেখুন, অথবা এটি ছাড়াই এগিয়ে যান: তাতেও অসুবিধা নেই।</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>আপনার নাম লিখুন, অথবা পেছনে গিয়ে তথ্য ছাড়াই এগিয়ে যান।</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>অন্তত একটি ঘরে স্পর্শ করুন: যেটি আপনার প্রয়োজনের সবচেয়ে কাছাকাছি।</translation>
    </message>
  </context>
</TS>