<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>راجِع وأكِّد</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>طلبتَ المساعدة في:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>وافقتَ على أن تعطينا بياناتك.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>أنت تتابع دون أن تعطي بياناتك.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>لحظة من فضلك، نجهّز رقمك</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>أكِّد وخذ رقمًا</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>هل ما زلت هنا؟</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>لحماية بياناتك، سيُمحى كل شيء بعد %1 ثانية ونبدأ من جديد.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>نعم، سأتابع</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — الأرقام المنادى عليها</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>لم يُنادَ على أي رقم بعد.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>الأرقام المنادى عليها</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>عدد المنتظرين: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>الرقم %1، %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>من أنت؟</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>اكتب رقمك الضريبي (codice fiscale)، أو قرّب الرمز الشريطي لبطاقتك الصحية من القارئ.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>الرقم الضريبي (codice fiscale)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>متابعة</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>ليس لديك رقم ضريبي؟ أخبرنا باسمك الأول فقط.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>الهاتف (إن أردت)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>متابعة بالاسم</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>ابدأ من جديد</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>رجوع</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>اقرأ بصوت عالٍ</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — الاستقبال</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>حديث على انفراد</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>ماذا تحتاج؟</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>المس مربعًا واحدًا أو أكثر.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>إن أردت، اكتب بضع كلمات أخرى</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>متابعة</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>هذا الجهاز خارج الخدمة. يُرجى التوجه إلى أحد الموظفين.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>للموظفين: يجب تسجيل هذا الجهاز من جديد بالأمر %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>بياناتك</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>تستخدم بلدية روما البيانات التي تعطينا إياها لمساعدتك فقط: لنفهم ما تحتاجه ولنستعد للقائك.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>تبقى البيانات في نظام الخدمات الاجتماعية. لا يراها أحد غيرنا، ولا تظهر أبدًا على هذه الشاشة للشخص الذي يأتي بعدك.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>يمكنك أيضًا أن تتابع دون إعطاء بياناتك: ستحصل على رقم على أي حال وسنستمع إليك.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>يمكنك أن تطلب من الموظف عند الشباك أن ترى بياناتك أو تصححها أو تحذفها.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>أتابع دون إعطاء بياناتي</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>أوافق</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>حجم النص</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>رقمك</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>لا يوجد أحد قبلك.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>عدد الأشخاص قبلك: %1. مدة الانتظار المتوقعة: نحو %2 دقيقة.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>رمز QR لرقمك</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>تذكّر رقمك أو صوّره: لا توجد طابعة.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>جارٍ طباعة التذكرة…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>خذ التذكرة المطبوعة.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>الطابعة لا تعمل: تذكّر رقمك أو صوّره.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>سننادي عليك برقمك، لا باسمك أبدًا. راقب الشاشة في قاعة الانتظار.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>انتهى</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>مرحبًا بك في الخدمات الاجتماعية</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>المس لغتك لتبدأ.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>اللغات</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>تعذّر تسجيل طلبك. يُرجى التوجه إلى الشباك.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>الرقم الضريبي يتكوّن من حروف وأرقام فقط. تحقّق منه على بطاقتك الصحية.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 من 16 حرفًا</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>الرقم الضريبي من 16 حرفًا: ربما كُتب حرف زائد.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>الرقم الضريبي صحيح.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>يبدو أن هذا الرقم غير صحيح. تحقّق منه على بطاقتك الصحية، أو تابع بدونه: لا بأس بذلك.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>اكتب اسمك، أو ارجع وتابع دون بيانات.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>المس مربعًا واحدًا على الأقل: الأقرب إلى ما تحتاجه.</translation>
    </message>
  </context>
</TS>