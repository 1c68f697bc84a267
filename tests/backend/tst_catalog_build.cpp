#include "catalog/builder.h"
#include "catalog/csv_reader.h"
#include "catalog_fixture.h"
#include "core/catalog.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <optional>

using sigess::catalog::buildCatalog;
using sigess::catalog::BuildResult;
using sigess::core::Catalog;
using sigess::testing::catalogFixture;
using sigess::testing::copyCatalogFixture;
using sigess::testing::replaceInFile;

namespace {

QStringList describe(const BuildResult &result)
{
    QStringList lines;
    for (const auto &issue : result.errors)
        lines << QString::fromStdString(issue.describe());
    return lines;
}

QStringList refs(const std::vector<sigess::v1::CodeRef> &codes)
{
    QStringList lines;
    for (const auto &ref : codes)
        lines << QString::fromStdString(ref.system() + ':' + ref.code());
    return lines;
}

Catalog load(const BuildResult &result)
{
    auto catalog = Catalog::fromBytes(sigess::core::serializeRelease(result.release));
    if (!catalog.ok())
        qFatal("built release does not load: %s", catalog.error().describe().c_str());
    return std::move(catalog).value();
}

std::filesystem::path realCatalog()
{
    return std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog";
}

} // namespace

class TestCatalogBuild : public QObject {
    Q_OBJECT

private:
    BuildResult m_broken;
    BuildResult m_real;
    std::optional<Catalog> m_realCatalog;

private Q_SLOTS:
    void initTestCase()
    {
        m_broken = buildCatalog(catalogFixture("broken"));
        m_real = buildCatalog(realCatalog());
        if (m_real.ok())
            m_realCatalog.emplace(load(m_real));
    }

    // Records as "LINE:field|field" and the header, or "error LINE: reason".
    void csvReader_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("parsed");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n3,\n")
                               << QStringList { "header 1:a|b", "2:1|2", "3:3|" };
        QTest::newRow("no final newline")
            << QByteArray("a,b\n1,2") << QStringList { "header 1:a|b", "2:1|2" };
        QTest::newRow("CRLF and byte order mark")
            << QByteArray("\xEF\xBB\xBF" "a,b\r\n1,2\r\n") << QStringList { "header 1:a|b", "2:1|2" };
        QTest::newRow("quotes, commas, doubled quotes") << QByteArray(
            "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n") << QStringList { "header 1:a|b", "2:x, y|say \"hi\"" };
        QTest::newRow("newline inside quotes keeps line numbers") << QByteArray(
            "a,b\n\"two\nlines\",1\n2,3\n") << QStringList { "header 1:a|b", "2:two\nlines|1", "4:2|3" };
        QTest::newRow("comments and blank lines") << QByteArray("# about this file\na,b\n\n# a note\n1,2\n")
                                                  << QStringList { "header 2:a|b", "5:1|2" };
        QTest::newRow("unclosed quote") << QByteArray("a,b\n1,\"open\n2,3\n")
                                        << QStringList { "error 2: a quoted field is never closed" };
        QTest::newRow("text after quote")
            << QByteArray("a,b\n\"x\"y,1\n") << QStringList { "error 2: text follows a closing quote" };
    }

    void csvReader()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, parsed);
        const auto result = sigess::catalog::parseCsv(
            std::string_view(text.constData(), std::size_t(text.size())), "f.csv");
        QStringList lines;
        if (const auto *error = std::get_if<sigess::catalog::CsvError>(&result)) {
            lines << QString("error %1: %2").arg(error->line).arg(QString::fromStdString(error->reason));
        } else {
            const auto &file = std::get<sigess::catalog::CsvFile>(result);
            auto join = [](const std::vector<std::string> &fields) {
                QStringList parts;
                for (const auto &field : fields)
                    parts << QString::fromStdString(field);
                return parts.join('|');
            };
            lines << QString("header %1:").arg(file.headerLine) + join(file.header);
            for (const auto &record : file.records)
                lines << QString("%1:").arg(record.line) + join(record.fields);
        }
        QCOMPARE(lines, parsed);
    }

    void goodFixtureBuilds()
    {
        const auto result = buildCatalog(catalogFixture("good"));
        QVERIFY2(result.ok(), qPrintable(describe(result).join('\n')));
        QCOMPARE(result.release.number(), 7u);
        QCOMPARE(result.release.date(), std::string("2026-01-15"));
        QCOMPARE(result.release.content_hash().size(), 64u);
        QCOMPARE(result.release.codes_size(), 21);
        QCOMPARE(result.release.presidi_size(), 3);
        QCOMPARE(result.release.forms_size(), 1);
        QCOMPARE(result.release.languages_size(), 3);
        QCOMPARE(result.release.language_info(2).name(), std::string("العربية"));
        QVERIFY(result.release.language_info(2).right_to_left());
        QVERIFY(!result.release.language_info(1).right_to_left());
    }

    void translationCoverage()
    {
        const auto result = buildCatalog(catalogFixture("good"));
        QVERIFY(result.ok());
        QCOMPARE(result.coverage.size(), 2u);
        QCOMPARE(result.coverage[0].lang, std::string("en"));
        QVERIFY(result.coverage[0].missing.empty());
        QCOMPARE(result.coverage[1].lang, std::string("ar"));
        QCOMPARE(
            refs(result.coverage[1].missing), (QStringList { "ACCESS_CHANNEL:PHONE_REPORT", "NEED:SAFETY" }));
    }

    void roundTrip()
    {
        const auto result = buildCatalog(catalogFixture("good"));
        QVERIFY(result.ok());
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "release.pb";
        std::ofstream(file, std::ios::binary) << sigess::core::serializeRelease(result.release);
        auto catalog = Catalog::fromFile(file);
        QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().describe().c_str());

        QCOMPARE(catalog->release().content_hash(), result.release.content_hash());
        QCOMPARE(catalog->label("ISTAT_AREA", "POV", "it")->text,
            std::string_view("povertà, disagio adulti e senza dimora"));
        QCOMPARE(catalog->label("NEED", "ELDERLY_CARE", "en")->text,
            std::string_view("Help for an \"older\" person"));
        QCOMPARE(catalog->description("NEED", "HOUSING", "en")->text,
            std::string_view("I have no home, or I might lose it"));
        const auto safety = catalog->label("NEED", "SAFETY", "ar");
        QVERIFY(safety->fellBack);
        QCOMPARE(safety->text, std::string_view("Parlare in privato"));
        QCOMPARE(catalog->find("NEED", "SAFETY")->urgency(), sigess::v1::URGENCY_URGENT_DISCREET);
        QCOMPARE(catalog->find("NEED", "HOUSING")->icon(), std::string("home"));

        const auto retired = catalog->validate("LOCAL", "L.A1.03");
        QCOMPARE(retired.error().message, std::string("code LOCAL:L.A1.03 was retired; use LOCAL:L.A1.02"));
        QVERIFY(catalog->find("LOCAL", "L.A1.03")->demo_data());

        const auto housing = catalog->needCodes("HOUSING");
        QVERIFY(housing.ok());
        QCOMPARE(housing->interventions.size(), 1u);
        QCOMPARE(housing->interventions[0]->code(), std::string("L.A1.01"));
        QCOMPARE(housing->areas.size(), 1u);
        QCOMPARE(housing->areas[0]->code(), std::string("POV"));

        const auto children = catalog->children("LOCAL", "L.A1");
        QCOMPARE(children.size(), 3u);
        QCOMPARE(children[0]->code(), std::string("L.A1.02"));

        const auto inFirst = catalog->presidiIn("M01");
        QCOMPARE(inFirst.size(), 2u);
        const auto *centro = inFirst[0];
        QCOMPARE(centro->address(), std::string("Via Roma 1, Roma"));
        QCOMPARE(centro->desks_size(), 2);
        QCOMPARE(centro->desks(1), std::string("Sportello 2"));
        // Monday to Friday mornings, Tuesday and Thursday afternoons.
        QCOMPARE(centro->hours_size(), 7);
        QCOMPARE(centro->hours(1).weekday(), 2u);
        QCOMPARE(centro->hours(2).weekday(), 2u);
        QCOMPARE(centro->hours(2).opens(), std::string("14:30"));
        QCOMPARE(centro->hours(2).closes(), std::string("17:00"));

        const auto *form = catalog->form("MINI_ADL");
        QVERIFY(form);
        QCOMPARE(form->items_size(), 2);
        QCOMPARE(form->items(1).options_size(), 2);
        QCOMPARE(form->max_score(), 2.0);
        QCOMPARE(form->bands_size(), 2);
        QCOMPARE(form->bands(0).max(), 1.0);
        QCOMPARE(form->scoring(), std::string("sum"));
    }

    void numberOverride()
    {
        const auto result = buildCatalog(catalogFixture("good"), { .number = 12 });
        QVERIFY(result.ok());
        QCOMPARE(result.release.number(), 12u);
    }

    void contentHashDeterministic()
    {
        const auto first = buildCatalog(catalogFixture("good"));
        const auto second = buildCatalog(catalogFixture("good"));
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first.release.content_hash(), second.release.content_hash());
        QCOMPARE(
            sigess::core::serializeRelease(first.release), sigess::core::serializeRelease(second.release));

        QTemporaryDir dir;
        const auto copy = copyCatalogFixture("good", dir);
        QVERIFY(replaceInFile(copy / "systems" / "ISTAT_AREA.csv", "anziani", "anziani e grandi anziani"));
        const auto relabelled = buildCatalog(copy);
        QVERIFY(relabelled.ok());
        QVERIFY(relabelled.release.content_hash() != first.release.content_hash());
    }

    void diffOfTwoReleases()
    {
        QTemporaryDir dir;
        const auto copy = copyCatalogFixture("good", dir);
        QVERIFY(sigess::testing::makeNextRelease(copy));
        const auto older = buildCatalog(catalogFixture("good"));
        const auto newer = buildCatalog(copy);
        QVERIFY2(newer.ok(), qPrintable(describe(newer).join('\n')));
        const auto before = load(older);
        const auto after = load(newer);

        const auto changes = sigess::core::diff(before, after);
        QCOMPARE(changes.added.size(), 1u);
        QCOMPARE(changes.added[0].after->code(), std::string("L.A1.04"));
        QCOMPARE(changes.retired.size(), 1u);
        QCOMPARE(changes.retired[0].after->code(), std::string("L.A1.01"));
        QCOMPARE(changes.retired[0].after->successor(), std::string("L.A1.04"));
        QCOMPARE(changes.relabelled.size(), 2u);
        QCOMPARE(changes.relabelled[0].after->code(), std::string("HOMECARE"));
        QCOMPARE(changes.relabelled[1].after->code(), std::string("HOUSING"));
        QCOMPARE(changes.removed.size(), 1u);
        QCOMPARE(changes.removed[0].before->code(), std::string("PHONE_REPORT"));
        QVERIFY(sigess::core::diff(after, after).empty());
    }

    // Every rule of FORMAT.md, broken once in the fixture `broken`: all reported by one run.
    void brokenFixture_data()
    {
        QTest::addColumn<QString>("issue");
        const QString root = QString::fromStdString(catalogFixture("broken").string()) + '/';
        const QStringList expected {
            "forms/BAD_FORM.csv:1: [form-structure] form BAD_FORM has no title line",
            "forms/BAD_FORM.csv:2: [form-structure] an option must follow the item it answers",
            "forms/BAD_FORM.csv:4: [bad-format] score 'uno' is not a number",
            "forms/BAD_FORM.csv:5: [bad-format] band '3-1' is not a range MIN-MAX",
            "forms/BAD_FORM.csv:6: [unknown-value] kind 'widget' must be title, item, option or band",
            "forms/BAD_FORM.csv:7: [unique] item Q1 repeats line 3",
            "forms/BAD_FORM.csv:8: [italian-label] form BAD_FORM item has an empty label_it",
            "i18n/de.csv: [unknown-value] language 'de' is not listed in languages.csv",
            "i18n/en.csv:3: [unknown-reference] translation of unknown code NEED:NOPE",
            "i18n/en.csv:4: [unique] translation of NEED:HOUSING repeats line 2",
            "i18n/en.csv:5: [required] translation of NEED:FOOD has an empty label",
            "languages.csv:3: [unknown-value] direction 'sideways' must be 'ltr' or 'rtl'",
            "languages.csv:4: [unique] language en is listed twice",
            "needs.csv:2: [unknown-value] urgency 'very_urgent' must be routine, priority or urgent_discreet",
            "needs.csv:3: [unknown-reference] NEED:FOOD maps_to points to unknown code LOCAL:L.A1.99",
            "presidi.csv:2: [unknown-reference] presidio P01 municipio points to unknown code MUNICIPIO:M99",
            "presidi.csv:3: [required] presidio P02 has an empty name",
            "presidi.csv:3: [bad-format] hours group '1-8 08:30-12:30': days must be ISO weekdays 1-7, as N, "
            "N-M "
            "or a comma list",
            "presidi.csv:4: [bad-format] hours group '1-5 12:30-08:30': expected an opening before a closing "
            "time, HH:MM-HH:MM",
            "presidi.csv:5: [unique] presidio P01 repeats line 2",
            "release.csv:2: [bad-format] number '0' is not a positive integer",
            "release.csv:2: [bad-format] date '2026-13-01' is not an ISO 8601 date (YYYY-MM-DD)",
            "systems/ISTAT_AREA.csv:3: [italian-label] ISTAT_AREA:POV has an empty title_it",
            "systems/ISTAT_AREA.csv:4: [unique] code ISTAT_AREA:FAM repeats line 2",
            "systems/ISTAT_AREA.csv:5: [bad-format] sort 'x' is not a non-negative integer",
            "systems/ISTAT_SERVICE.csv:1: [header] the header must be "
            "'code,parent,level,title_it,maps_to,retired,successor,sort,demo'",
            "systems/LOCAL.csv:4: [unknown-reference] LOCAL:L.A1.01 maps_to points to unknown code "
            "ISTAT_AREA:NOPE",
            "systems/LOCAL.csv:5: [local-istat-area] LOCAL item L.A1.02 maps to 0 ISTAT_AREA codes; every "
            "local "
            "intervention maps to exactly one",
            "systems/LOCAL.csv:6: [retired-successor] retired code LOCAL:L.A1.03 names no successor",
            "systems/LOCAL.csv:7: [retired-successor] retired code LOCAL:L.A1.04 names successor "
            "LOCAL:L.A1.03, "
            "which is retired too",
            "systems/LOCAL.csv:8: [unknown-reference] LOCAL:L.A1.05 parent points to unknown code LOCAL:L.A9",
            "systems/LOCAL.csv:9: [unknown-value] level 'cluster' must be macro_area, area, item or empty",
            "systems/LOCAL.csv:10: [tree] LOCAL:L.A2, an area, cannot sit under LOCAL:L.A1, an area",
            "systems/LOCAL.csv:11: [column-count] expected 9 fields, found 10",
            "systems/LOCAL.csv:12: [local-istat-area] LOCAL item L.A1.08 maps to 2 ISTAT_AREA codes; every "
            "local intervention maps to exactly one",
            "systems/LOCAL.csv:13: [bad-format] code 'L:A1.09' may hold only ASCII letters, digits, '.', "
            "'_', '-'",
            "systems/LOCAL.csv:14: [bad-format] maps_to reference 'FAM' is not SYSTEM:CODE",
            "systems/LOCAL.csv:15: [tree] an area needs a parent: LOCAL:L.A3",
            "systems/LOCAL.csv:16: [retired-successor] LOCAL:L.A1.11 names a successor but is not retired",
            "systems/LOCAL.csv:17: [italian-label] LOCAL:L.A1.12 has an empty title_it",
            "systems/LOCAL.csv:17: [unknown-value] demo 'maybe' must be 'yes' or empty",
            "systems/SIUSS.csv:2: [csv] a quoted field is never closed",
        };
        for (const auto &issue : expected)
            QTest::newRow(qPrintable(issue.section(']', 0, 0) + ']')) << root + issue;
    }

    void brokenFixture()
    {
        QFETCH(QString, issue);
        QVERIFY(!m_broken.ok());
        const QStringList reported = describe(m_broken);
        QVERIFY2(reported.contains(issue),
            qPrintable("not reported: " + issue + "\nreported:\n" + reported.join('\n')));
    }

    void brokenFixtureReportsNothingElse() { QCOMPARE(m_broken.errors.size(), 42u); }

    void missingFiles()
    {
        QTemporaryDir dir;
        const auto result = buildCatalog(dir.path().toStdString());
        const QString root = dir.path() + '/';
        QCOMPARE(describe(result),
            (QStringList { root + "languages.csv: [missing-file] the file is missing",
                root + "release.csv: [missing-file] the file is missing" }));
    }

    void textAfterClosingQuote()
    {
        QTemporaryDir dir;
        const auto copy = copyCatalogFixture("good", dir);
        QVERIFY(replaceInFile(copy / "needs.csv", "Casa,Non ho", "\"Casa\" di tutti,Non ho"));
        const auto result = buildCatalog(copy);
        // The unreadable needs.csv also leaves its translations pointing to nothing.
        QVERIFY(describe(result).contains(QString::fromStdString((copy / "needs.csv").string())
            + ":2: [csv] text follows a closing quote"));
    }

    void realCatalogBuildsClean()
    {
        QVERIFY2(m_real.ok(), qPrintable(describe(m_real).join('\n')));
        QVERIFY(Catalog::fromRelease(m_real.release).ok());
    }

    // The national reference lists the catalog was copied from, code by code.
    void realCatalogHasNationalCodes_data()
    {
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("title");
        const char *siuss[][2] = {
            { "A1.01", "Assegno per il nucleo familiare erogati dai comuni" },
            { "A1.02", "Assegno Maternità erogato dai Comuni" },
            { "A1.03", "Carta acquisti" },
            { "A1.04", "Contributi economici a integrazione del reddito Familiare" },
            { "A1.05", "Contributi economici per alloggio" },
            { "A1.06", "Buoni spesa o buoni pasto" },
            { "A1.07", "Contributi e integrazioni a rette per asili nido" },
            { "A1.08",
                "Contributi e integrazioni a rette per servizi integrativi o innovativi per la prima "
                "infanzia" },
            { "A1.09", "Contributi economici per i servizi scolastici" },
            { "A1.10", "Contributi economici per cure o prestazioni sociali a rilevanza sanitaria" },
            { "A1.11",
                "Assegnazioni economiche per il sostegno della domiciliarità e dell'autonomia personale" },
            { "A1.12", "Contributi e integrazioni a rette per accesso a centri Diurni" },
            { "A1.13", "Contributi e integrazioni a rette per accesso ai servizi semi-residenziali" },
            { "A1.14", "Contributi e integrazioni a rette per accesso a servizi Residenziali" },
            { "A1.15", "Contributi per servizi alla persona" },
            { "A1.16", "Contributi economici per servizio trasporto e mobilità" },
            { "A1.17", "Contributi economici erogati a titolo di prestito/prestiti d'onore" },
            { "A1.18", "Contributi economici per l'inserimento lavorativo" },
            { "A1.19", "Borse di studio" },
            { "A1.20", "Buono vacanze" },
            { "A2.01", "Mensa sociale" },
            { "A2.02", "Sostegno socio-educativo territoriale o domiciliare" },
            { "A2.03", "Prestazioni del diritto allo studio universitario" },
            { "A2.04", "Agevolazioni per tasse universitarie" },
            { "A2.05", "Agevolazioni per i servizi di pubblica utilità (telefono, luce, gas)" },
            { "A2.06", "Agevolazioni tributarie comunali (nettezza urbana, ecc.)" },
            { "A2.07", "Assistenza domiciliare socio-assistenziale" },
            { "A2.08", "A.D.I.- Assistenza domiciliare integrata con servizi Sanitari" },
            { "A2.09", "Supporto all'inserimento lavorativo" },
            { "A2.10", "Servizi integrativi per la prima infanzia" },
            { "A2.11", "Sostegno socio-educativo scolastico" },
            { "A2.12", "Mensa scolastica" },
            { "A3.01", "Strutture semiresidenziali" },
            { "A3.02", "Strutture residenziali" },
            { "A3.03", "Asilo Nido" },
            { "Z9.99", "Altro" },
        };
        for (const auto &[code, title] : siuss)
            QTest::newRow(code) << "SIUSS" << code << title;
        const char *areas[][3] = {
            { "ISTAT_AREA", "FAM", "famiglia e minori" },
            { "ISTAT_AREA", "DIS", "disabili" },
            { "ISTAT_AREA", "ADD", "dipendenze" },
            { "ISTAT_AREA", "ELD", "anziani" },
            { "ISTAT_AREA", "IMMNOM", "immigrati, Rom, Sinti e Caminanti" },
            { "ISTAT_AREA", "POV", "povertà, disagio adulti e senza dimora" },
            { "ISTAT_AREA", "MULBEN", "multiutenza" },
            { "SIUSS_AREA", "1", "Famiglia e minori" },
            { "SIUSS_AREA", "2", "Disabilità e non autosufficienza" },
            { "SIUSS_AREA", "3", "Povertà ed esclusione sociale" },
            { "ISTAT_SERVICE", "PSW", "servizio sociale professionale" },
            { "ISTAT_SERVICE", "HOMECARE", "assistenza domiciliare socio-assistenziale" },
            { "ISTAT_SERVICE", "HEALTHV", "voucher, assegno di cura, buono socio-sanitario" },
            { "ISTAT_SERVICE", "OTHERHOME", "altre attività di assistenza domiciliare" },
            { "ISTAT_SERVICE", "HOMEHEALTH", "assistenza domiciliare integrata con servizi sanitari" },
            { "ISTAT_SERVICE", "REMASS", "telesoccorso e teleassistenza" },
            { "ISTAT_SERVICE", "PROXIM", "servizi di prossimità (buonvicinato)" },
            { "ISTAT_SERVICE", "DAYC", "centro diurno" },
        };
        for (const auto &[system, code, title] : areas)
            QTest::newRow(qPrintable(QString("%1:%2").arg(system, code))) << system << code << title;
    }

    void realCatalogHasNationalCodes()
    {
        QFETCH(QString, system);
        QFETCH(QString, code);
        QFETCH(QString, title);
        QVERIFY(m_realCatalog);
        const Catalog &catalog = *m_realCatalog;
        const auto *found = catalog.find(system.toStdString(), code.toStdString());
        QVERIFY(found);
        QVERIFY(!found->retired());
        QCOMPARE(
            QString::fromStdString(std::string(catalog.label(found->system(), found->code(), "it")->text)),
            title);
        if (system == "SIUSS") {
            QCOMPARE(found->level(), sigess::v1::CODE_LEVEL_ITEM);
            QCOMPARE(found->parent(), code.left(2).toStdString());
        }
    }

    void realCatalogSiussTree()
    {
        QVERIFY(m_realCatalog);
        const Catalog &catalog = *m_realCatalog;
        QCOMPARE(catalog.codes("ISTAT_AREA").size(), 7u);
        QCOMPARE(catalog.codes("SIUSS_AREA").size(), 3u);
        QCOMPARE(catalog.children("SIUSS", "A1").size(), 20u);
        QCOMPARE(catalog.children("SIUSS", "A2").size(), 12u);
        QCOMPARE(catalog.children("SIUSS", "A3").size(), 3u);
        QCOMPARE(catalog.children("SIUSS", "Z9").size(), 1u);
        QCOMPARE(catalog.children("SIUSS", "A1")[0]->code(), std::string("A1.01"));
        QCOMPARE(catalog.find("SIUSS", "A1")->level(), sigess::v1::CODE_LEVEL_MACRO_AREA);
        QCOMPARE(catalog.codes("DIARY_TYPE").size(), 20u);
        QCOMPARE(catalog.codes("CASE_STATE").size(), 5u);
        QCOMPARE(catalog.codes("MUNICIPIO").size(), 15u);
    }

    // What the issue promises of the real catalog: every local intervention maps to an
    // ISTAT area, and every kiosk need category has a label in every kiosk language or is
    // listed by the build as falling back to Italian.
    void realCatalogPromises()
    {
        QVERIFY(m_realCatalog);
        const Catalog &catalog = *m_realCatalog;
        const auto local = catalog.codes("LOCAL");
        QVERIFY(!local.empty());
        for (const auto *code : local) {
            if (code->level() != sigess::v1::CODE_LEVEL_ITEM)
                continue;
            const auto area = std::find_if(code->mappings().begin(), code->mappings().end(),
                [](const auto &ref) { return ref.system() == "ISTAT_AREA"; });
            QVERIFY2(area != code->mappings().end(), code->code().c_str());
            QVERIFY(catalog.find(area->system(), area->code()));
        }

        const QStringList kioskLanguages { "it", "en", "ro", "tl", "bn", "zh", "uk", "ar", "es", "fr" };
        QStringList languages;
        for (const auto &lang : catalog.release().languages())
            languages << QString::fromStdString(lang);
        QCOMPARE(languages, kioskLanguages);

        const auto needs = catalog.codes("NEED");
        QVERIFY(!needs.empty());
        for (const auto &coverage : m_real.coverage) {
            const QStringList listed = refs(coverage.missing);
            for (const auto *need : needs) {
                const auto label = catalog.label("NEED", need->code(), coverage.lang);
                const QString ref = QString::fromStdString("NEED:" + need->code());
                QVERIFY2(!label->fellBack || listed.contains(ref),
                    qPrintable(ref + " in " + coverage.lang.c_str()));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCatalogBuild)
#include "tst_catalog_build.moc"
