<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>Vérifiez et confirmez</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>Vous avez demandé de l'aide pour :</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>Vous avez accepté de nous donner vos données.</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>Vous continuez sans donner vos données.</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>Un instant, nous préparons votre numéro</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>Confirmer et prendre un numéro</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>Êtes-vous toujours là ?</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>Pour protéger vos données, dans %1 secondes tout sera effacé et on recommencera.</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>Oui, je continue</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — numéros appelés</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>Aucun numéro appelé pour l'instant.</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>Numéros appelés</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>Personnes en attente : %1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>Numéro %1, %2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>Qui êtes-vous ?</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>Tapez votre codice fiscale (code fiscal), ou approchez le code-barres de votre carte de santé du lecteur.</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>Codice fiscale (code fiscal)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuer</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>Pas de codice fiscale ? Dites-nous seulement votre prénom.</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>Prénom</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>Téléphone (si vous voulez)</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>Continuer avec le prénom</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>Recommencer</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>Retour</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>Lire à voix haute</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — accueil</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>Un entretien confidentiel</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>De quoi avez-vous besoin ?</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>Touchez une ou plusieurs cases.</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>Si vous voulez, écrivez quelques mots de plus</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>Continuer</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>Cette borne est hors service. Merci de vous adresser au personnel.</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>Pour le personnel : la borne doit être enregistrée à nouveau avec %1</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>Vos données</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>La Ville de Rome utilise les données que vous nous donnez uniquement pour vous aider : comprendre ce dont vous avez besoin et préparer votre rendez-vous.</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>Les données restent dans le système des services sociaux. Personne d'autre ne les voit, et elles ne sont jamais montrées sur cet écran à la personne suivante.</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>Vous pouvez aussi continuer sans donner vos données : vous aurez quand même un numéro et vous serez écouté.</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>Vous pouvez demander au guichet de voir, corriger ou effacer vos données.</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>Je continue sans donner mes données</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>J'accepte</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>Taille du texte</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>Votre numéro</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>Il n'y a personne avant vous.</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>Personnes avant vous : %1. Attente estimée : environ %2 minutes.</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>Code QR de votre numéro</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>Retenez votre numéro ou prenez-le en photo : il n'y a pas d'imprimante.</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>Impression du ticket en cours…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>Prenez votre ticket imprimé.</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>L'imprimante ne fonctionne pas : retenez votre numéro ou prenez-le en photo.</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>Nous vous appellerons par votre numéro, jamais par votre nom. Regardez l'écran de la salle d'attente.</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>Terminé</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>Bienvenue aux services sociaux</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>Touchez votre langue pour commencer.</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>Langues</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>Votre demande n'a pas pu être enregistrée. Merci de vous adresser au guichet.</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>Le codice fiscale ne contient que des lettres et des chiffres. Vérifiez-le sur votre carte de santé.</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>%1 caractères sur 16</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>Le codice fiscale a 16 caractères : peut-être en avez-vous tapé un de trop.</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>Le codice fiscale est correct.</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>Ce code ne semble pas juste. Vérifiez-le sur votre carte de santé, ou continuez sans : ce n'est pas grave.</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>Écrivez votre prénom, ou revenez en arrière et continuez sans données.</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>Touchez au moins une case : celle qui correspond le mieux à votre besoin.</translation>
    </message>
  </context>
</TS>