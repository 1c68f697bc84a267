<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Check and confirm</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>You asked for help with:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>You agreed to give us your details.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>You are continuing without giving your details.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>One moment, we are preparing your number</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Confirm and take a number</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>Are you still there?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>To protect your data, in %1 seconds everything will be erased and the kiosk will start again.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Yes, I'm continuing</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — numbers called</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>No number called yet.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Numbers called</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>People waiting: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Number %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>Who are you?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Type your codice fiscale (tax code), or hold the barcode of your health card up to the reader.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale (tax code)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continue</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>No codice fiscale? Just tell us your first name.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>First name</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Phone (if you wish)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Continue with my name</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Start again</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Read aloud</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — reception</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>A private conversation</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>What do you need?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Touch one or more boxes.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>If you wish, write a few more words</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continue</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>This kiosk is out of service. Please ask a member of staff.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>For staff: the kiosk must be enrolled again with %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Your data</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>The City of Rome uses the details you give us only to help you: to understand what you need and to prepare to meet you.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Your details stay in the social services' system. Nobody else sees them, and they are never shown on this screen to the person after you.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>You can also continue without giving your details: you will still get a number and be listened to.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>You can ask at the desk to see, correct or delete your details.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Continue without giving my details</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>I agree</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Text size</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Your number</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>There is nobody ahead of you.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>People ahead of you: %1. Estimated wait: about %2 minutes.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>QR code of your number</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Remember your number or take a photo of it: there is no printer.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Printing your ticket…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Take your printed ticket.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>The printer is not working: remember your number or take a photo of it.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>We will call you by number, never by name. Watch the screen in the waiting room.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Done</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Welcome to social services</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Touch your language to begin.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Languages</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>Your request could not be recorded. Please go to the desk.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>A codice fiscale has only letters and numbers. Please check it on your health card.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 of 16 characters</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>A codice fiscale has 16 characters: perhaps one too many was typed.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>The codice fiscale is correct.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>This code does not look right. Please check it on your health card, or continue without it: that is fine too.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Type your first name, or go back and continue without giving details.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Touch at least one box: the one closest to what you need.</translation>
    </message>
  </context>
</TS>