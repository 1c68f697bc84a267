<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Перевірте й підтвердьте</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>Ви просите допомоги щодо:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>Ви погодилися надати нам свої дані.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>Ви продовжуєте, не надаючи своїх даних.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>Хвилинку, готуємо ваш номер</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Підтвердити й отримати номер</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>Ви ще тут?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>Щоб захистити ваші дані, через %1 с усе буде стерто і почнеться спочатку.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Так, продовжую</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — викликані номери</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>Поки що жодного номера не викликано.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Викликані номери</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>Людей у черзі: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Номер %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>Хто ви?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Введіть свій codice fiscale (податковий код) або піднесіть штрихкод медичної картки до зчитувача.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale (податковий код)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Далі</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>Немає codice fiscale? Просто вкажіть своє ім'я.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>Ім'я</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Телефон (за бажанням)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Продовжити з ім'ям</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Почати спочатку</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Назад</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Прочитати вголос</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — прийом</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>Конфіденційна розмова</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>Що вам потрібно?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Торкніться одного або кількох квадратів.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>За бажанням напишіть ще кілька слів</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Далі</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>Цей кіоск не працює. Будь ласка, зверніться до персоналу.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>Для персоналу: кіоск потрібно зареєструвати знову командою %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Ваші дані</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>Муніципалітет Рима використовує надані вами дані лише для того, щоб допомогти вам: зрозуміти, що вам потрібно, і підготуватися до зустрічі з вами.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Дані залишаються в системі соціальних служб. Їх ніхто інший не бачить, і вони ніколи не показуються на цьому екрані наступній людині.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>Ви можете продовжити й без надання даних: ви все одно отримаєте номер, і вас вислухають.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>Ви можете попросити біля віконця переглянути, виправити або видалити ваші дані.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Продовжити без моїх даних</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>Погоджуюся</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Розмір тексту</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Ваш номер</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>Перед вами нікого немає.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>Перед вами: %1. Орієнтовне очікування: близько %2 хв.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>QR-код вашого номера</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Запам'ятайте номер або сфотографуйте його: принтера немає.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Друкуємо ваш квиток…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Візьміть надрукований квиток.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>Принтер не працює: запам'ятайте номер або сфотографуйте його.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>Ми викличемо вас за номером, ніколи за ім'ям. Стежте за екраном у залі очікування.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Готово</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Ласкаво просимо до соціальних служб</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Торкніться своєї мови, щоб почати.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Мови</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>Не вдалося зареєструвати ваше звернення. Будь ласка, зверніться до віконця.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>Codice fiscale містить лише літери й цифри. Перевірте його на медичній картці.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 з 16 символів</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>Codice fiscale має 16 символів: можливо, введено зайвий.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>Codice fiscale правильний.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>Цей код, схоже, неправильний. Перевірте його на медичній картці або продовжуйте без нього — це теж нормально.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Введіть своє ім'я або поверніться й продовжуйте без даних.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Торкніться хоча б одного квадрата — того, що найближче до вашої потреби.</translation>
    </message>
  </context>
</TS>