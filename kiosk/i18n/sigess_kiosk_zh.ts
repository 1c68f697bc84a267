<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="it">
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Controlli e confermi</source>
      <translation>请核对并确认</translation>
    </message>
    <message>
      <source>Ha chiesto aiuto per:</source>
      <translation>您需要帮助的事项：</translation>
    </message>
    <message>
      <source>Lei ha accettato di darci i suoi dati.</source>
      <translation>您已同意向我们提供您的信息。</translation>
    </message>
    <message>
      <source>Lei continua senza dare i suoi dati.</source>
      <translation>您选择不提供个人信息继续。</translation>
    </message>
    <message>
      <source>Un momento, prepariamo il suo numero</source>
      <translation>请稍候，正在为您准备号码</translation>
    </message>
    <message>
      <source>Conferma e prendi il numero</source>
      <translation>确认并取号</translation>
    </message>
  </context>
  <context>
    <name>CountdownOverlay</name>
    <message>
      <source>È ancora qui?</source>
      <translation>您还在吗？</translation>
    </message>
    <message>
      <source>Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.</source>
      <translation>为保护您的信息，%1 秒后所有内容将被清除并重新开始。</translation>
    </message>
    <message>
      <source>Sì, continuo</source>
      <translation>是的，继续</translation>
    </message>
  </context>
  <context>
    <name>DisplayWindow</name>
    <message>
      <source>SIgeSS — numeri chiamati</source>
      <translation>SIgeSS — 已叫号码</translation>
    </message>
    <message>
      <source>Nessun numero chiamato per ora.</source>
      <translation>暂时还没有叫号。</translation>
    </message>
    <message>
      <source>Numeri chiamati</source>
      <translation>已叫号码</translation>
    </message>
    <message>
      <source>Persone in attesa: %1</source>
      <translation>等候人数：%1</translation>
    </message>
    <message>
      <source>Numero %1, %2</source>
      <translation>%1 号，%2</translation>
    </message>
  </context>
  <context>
    <name>IdentifyPage</name>
    <message>
      <source>Chi è lei?</source>
      <translation>请问您是哪位？</translation>
    </message>
    <message>
      <source>Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.</source>
      <translation>请输入您的税号（codice fiscale），或将健康卡的条形码靠近扫描器。</translation>
    </message>
    <message>
      <source>Codice fiscale</source>
      <translation>税号 (codice fiscale)</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Non ha il codice fiscale? Ci dica solo il suo nome.</source>
      <translation>没有税号？只需告诉我们您的名字。</translation>
    </message>
    <message>
      <source>Nome</source>
      <translation>名字</translation>
    </message>
    <message>
      <source>Telefono (se vuole)</source>
      <translation>电话（自愿填写）</translation>
    </message>
    <message>
      <source>Continua con il nome</source>
      <translation>用名字继续</translation>
    </message>
  </context>
  <context>
    <name>KioskPage</name>
    <message>
      <source>Ricomincia</source>
      <translation>重新开始</translation>
    </message>
    <message>
      <source>Indietro</source>
      <translation>返回</translation>
    </message>
    <message>
      <source>Leggi ad alta voce</source>
      <translation>朗读</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>SIgeSS — accoglienza</source>
      <translation>SIgeSS — 接待</translation>
    </message>
  </context>
  <context>
    <name>NeedModel</name>
    <message>
      <source>Un colloquio riservato</source>
      <translation>一次私下谈话</translation>
    </message>
  </context>
  <context>
    <name>NeedsPage</name>
    <message>
      <source>Di cosa ha bisogno?</source>
      <translation>您需要什么帮助？</translation>
    </message>
    <message>
      <source>Tocchi uno o più riquadri.</source>
      <translation>请点选一个或多个方框。</translation>
    </message>
    <message>
      <source>Se vuole, scriva qualche parola in più</source>
      <translation>如您愿意，可以再写几句话</translation>
    </message>
    <message>
      <source>Continua</source>
      <translation>继续</translation>
    </message>
  </context>
  <context>
    <name>OutOfServiceOverlay</name>
    <message>
      <source>Questo chiosco è fuori servizio. Per favore, si rivolga al personale.</source>
      <translation>本自助机暂停服务。请联系工作人员。</translation>
    </message>
    <message>
      <source>Per il personale: il chiosco va registrato di nuovo con %1</source>
      <translation>工作人员请注意：需使用 %1 重新登记本自助机</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>I suoi dati</source>
      <translation>您的个人信息</translation>
    </message>
    <message>
      <source>Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.</source>
      <translation>罗马市政府只会用您提供的信息来帮助您：了解您的需要，并为与您见面做准备。</translation>
    </message>
    <message>
      <source>I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.</source>
      <translation>信息只保存在社会服务系统中。其他人看不到，也绝不会在这个屏幕上显示给下一位使用者。</translation>
    </message>
    <message>
      <source>Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.</source>
      <translation>您也可以不提供信息继续：您仍会拿到号码，我们也会听取您的需求。</translation>
    </message>
    <message>
      <source>Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.</source>
      <translation>您可以在窗口要求查看、更正或删除您的信息。</translation>
    </message>
    <message>
      <source>Continuo senza dare i miei dati</source>
      <translation>不提供信息，继续</translation>
    </message>
    <message>
      <source>Accetto</source>
      <translation>我同意</translation>
    </message>
  </context>
  <context>
    <name>TextSizeControl</name>
    <message>
      <source>Dimensione del testo</source>
      <translation>文字大小</translation>
    </message>
  </context>
  <context>
    <name>TicketPage</name>
    <message>
      <source>Il suo numero</source>
      <translation>您的号码</translation>
    </message>
    <message>
      <source>Non c'è nessuno prima di lei.</source>
      <translation>您前面没有人。</translation>
    </message>
    <message>
      <source>Persone prima di lei: %1. Attesa stimata: circa %2 minuti.</source>
      <translation>您前面有 %1 人。预计等候：约 %2 分钟。</translation>
    </message>
    <message>
      <source>Codice QR del suo numero</source>
      <translation>您号码的二维码</translation>
    </message>
    <message>
      <source>Ricordi il suo numero o lo fotografi: non c'è una stampante.</source>
      <translation>请记住您的号码或拍照保存：这里没有打印机。</translation>
    </message>
    <message>
      <source>Stampa del biglietto in corso…</source>
      <translation>正在打印号码单…</translation>
    </message>
    <message>
      <source>Prenda il biglietto stampato.</source>
      <translation>请取走打印的号码单。</translation>
    </message>
    <message>
      <source>La stampante non funziona: ricordi il suo numero o lo fotografi.</source>
      <translation>打印机无法使用：请记住您的号码或拍照保存。</translation>
    </message>
    <message>
      <source>La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.</source>
      <translation>我们会叫您的号码，绝不会叫您的名字。请留意等候室的屏幕。</translation>
    </message>
    <message>
      <source>Fine</source>
      <translation>完成</translation>
    </message>
  </context>
  <context>
    <name>WelcomePage</name>
    <message>
      <source>Benvenuto ai servizi sociali</source>
      <translation>欢迎来到社会服务处</translation>
    </message>
    <message>
      <source>Tocchi la sua lingua per cominciare.</source>
      <translation>请点选您的语言开始。</translation>
    </message>
    <message>
      <source>Lingue</source>
      <translation>语言</translation>
    </message>
  </context>
  <context>
    <name>sigess::kiosk::KioskSession</name>
    <message>
      <source>Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello.</source>
      <translation>无法登记您的请求。请到窗口办理。</translation>
    </message>
    <message>
      <source>Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.</source>
      <translation>税号只包含字母和数字。请对照您的健康卡检查。</translation>
    </message>
    <message>
      <source>%1 caratteri su 16</source>
      <translation>已输入 %1/16 个字符</translation>
    </message>
    <message>
      <source>Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.</source>
      <translation>税号有 16 个字符：可能多输入了一个。</translation>
    </message>
    <message>
      <source>Il codice fiscale è corretto.</source>
      <translation>税号正确。</translation>
    </message>
    <message>
      <source>Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, oppure continui senza: va bene lo stesso.</source>
      <translation>这个号码似乎不对。请对照健康卡检查，或者不填也可以继续。</translation>
    </message>
    <message>
      <source>Scriva il suo nome, oppure torni indietro e continui senza dati.</source>
      <translation>请输入您的名字，或返回并选择不提供信息继续。</translation>
    </message>
    <message>
      <source>Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno.</source>
      <translation>请至少点选一个方框：选最接近您需求的那个。</translation>
    </message>
  </context>
</TS>