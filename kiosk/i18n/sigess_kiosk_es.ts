<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Revise y confirme</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>Ha pedido ayuda para:</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>Ha aceptado darnos sus datos.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>Continúa sin darnos sus datos.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>Un momento, estamos preparando su número</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Confirmar y coger número</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>¿Sigue ahí?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>Para proteger sus datos, dentro de %1 segundos se borrará todo y se empezará de nuevo.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Sí, continúo</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — números llamados</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>Todavía no se ha llamado ningún número.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Números llamados</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>Personas esperando: %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Número %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>¿Quién es usted?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Escriba su codice fiscale (código fiscal) o acerque el código de barras de su tarjeta sanitaria al lector.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale (código fiscal)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuar</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>¿No tiene codice fiscale? Díganos solo su nombre.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>Nombre</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Teléfono (si quiere)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Continuar con el nombre</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Empezar de nuevo</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Atrás</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Leer en voz alta</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — acogida</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>Una conversación privada</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>¿Qué necesita?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Toque uno o más recuadros.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>Si quiere, escriba unas palabras más</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuar</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>Este quiosco está fuera de servicio. Por favor, diríjase al personal.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>Para el personal: el quiosco debe registrarse de nuevo con %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Sus datos</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>El Ayuntamiento de Roma usa los datos que nos da solo para ayudarle: para entender qué necesita y prepararse para atenderle.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Los datos se quedan en el sistema de los servicios sociales. Nadie más los ve y nunca se muestran en esta pantalla a la persona que viene después.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>También puede continuar sin darnos sus datos: recibirá igualmente un número y será atendido.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>Puede pedir en la ventanilla ver, corregir o borrar sus datos.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Continúo sin dar mis datos</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>Acepto</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Tamaño del texto</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Su número</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>No hay nadie delante de usted.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>Personas delante de usted: %1. Espera estimada: unos %2 minutos.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>Código QR de su número</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Recuerde su número o hágale una foto: no hay impresora.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Imprimiendo su ticket…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Coja el ticket impreso.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>La impresora no funciona: recuerde su número o hágale una foto.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>Le llamaremos por su número, nunca por su nombre. Mire la pantalla de la sala de espera.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Terminar</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Bienvenido a los servicios sociales</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Toque su idioma para empezar.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Idiomas</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>No se ha podido registrar su solicitud. Por favor, diríjase a la ventanilla.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>El codice fiscale solo tiene letras y números. Compruébelo en su tarjeta sanitaria.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 de 16 caracteres</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>El codice fiscale tiene 16 caracteres: quizá se ha escrito uno de más.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>El codice fiscale es correcto.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>Este código no parece correcto. Compruébelo en su tarjeta sanitaria o continúe sin él: no pasa nada.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Escriba su nombre, o vuelva atrás y continúe sin datos.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Toque al menos un recuadro: el que más se acerque a lo que necesita.</translation>
    </message>
  </context>
</TS>