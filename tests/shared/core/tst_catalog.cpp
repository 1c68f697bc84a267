#include "core/catalog.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using sigess::ErrorCode;
using sigess::core::Catalog;
namespace v1 = sigess::v1;

namespace {

v1::CatalogCode *addCode(v1::CatalogRelease &release, const char *system, const char *code,
    const char *italian, const char *parent = "", v1::CodeLevel level = v1::CODE_LEVEL_UNSPECIFIED,
    unsigned sort = 0)
{
    auto *added = release.add_codes();
    added->set_system(system);
    added->set_code(code);
    added->set_parent(parent);
    added->set_level(level);
    added->set_sort_order(sort);
    auto *label = added->add_labels();
    label->set_lang("it");
    label->set_text(italian);
    return added;
}

void addLabel(v1::CatalogCode &code, const char *lang, const char *text)
{
    auto *label = code.add_labels();
    label->set_lang(lang);
    label->set_text(text);
}

void addMapping(v1::CatalogCode &code, const char *system, const char *target)
{
    auto *ref = code.add_mappings();
    ref->set_system(system);
    ref->set_code(target);
}

// A small release made by hand, independent of the builder; codes added out of order on
// purpose, so that sealing has something to sort.
v1::CatalogRelease sampleRelease()
{
    v1::CatalogRelease release;
    release.set_number(3);
    release.set_date("2026-03-01");
    release.add_languages("it");
    release.add_languages("en");
    release.add_languages("ar");
    addCode(release, "SIUSS", "A1.05", "Contributi economici per alloggio", "A1", v1::CODE_LEVEL_ITEM, 2);
    addCode(release, "SIUSS", "A1", "Trasferimenti in denaro", "", v1::CODE_LEVEL_MACRO_AREA, 1);
    addCode(release, "SIUSS", "A1.01", "Assegno per il nucleo familiare erogati dai comuni", "A1",
        v1::CODE_LEVEL_ITEM, 3);
    addCode(release, "ISTAT_AREA", "POV", "povertà, disagio adulti e senza dimora");
    addCode(release, "ISTAT_AREA", "ELD", "anziani");
    addCode(release, "ISTAT_AREA", "FAM", "famiglia e minori");
    auto *rent = addCode(release, "LOCAL", "L.RENT", "Contributo per l'affitto", "", v1::CODE_LEVEL_ITEM);
    addMapping(*rent, "ISTAT_AREA", "POV");
    addMapping(*rent, "SIUSS", "A1.05");
    auto *old = addCode(release, "LOCAL", "L.OLD", "Vecchia voce", "", v1::CODE_LEVEL_ITEM);
    old->set_retired(true);
    old->set_successor("L.RENT");
    auto *housing = addCode(release, "NEED", "HOUSING", "Casa");
    addLabel(*housing, "en", "Housing");
    addMapping(*housing, "LOCAL", "L.RENT");
    addMapping(*housing, "ISTAT_AREA", "FAM");
    addMapping(*housing, "ISTAT_AREA", "POV");
    auto *description = housing->add_descriptions();
    description->set_lang("it");
    description->set_text("Non ho una casa");
    for (const char *code : { "P02", "P01", "P03" }) {
        auto *presidio = release.add_presidi();
        presidio->set_code(code);
        presidio->set_municipio(std::string(code) == "P02" ? "M02" : "M01");
    }
    release.add_forms()->set_code("KATZ_ADL");
    return release;
}

Catalog sampleCatalog()
{
    auto release = sampleRelease();
    sigess::core::sealRelease(release);
    auto catalog = Catalog::fromRelease(std::move(release));
    if (!catalog.ok())
        qFatal("sample catalog does not load: %s", catalog.error().describe().c_str());
    return std::move(catalog).value();
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lookUp()
    {
        const auto catalog = sampleCatalog();
        const auto *code = catalog.find("SIUSS", "A1.01");
        QVERIFY(code);
        QCOMPARE(code->labels(0).text(), std::string("Assegno per il nucleo familiare erogati dai comuni"));
        QCOMPARE(code->parent(), std::string("A1"));
        QVERIFY(!catalog.find("SIUSS", "A9.99"));
        QVERIFY(!catalog.find("NOPE", "A1.01"));
        QCOMPARE(
            catalog.systems(), (std::vector<std::string_view> { "ISTAT_AREA", "LOCAL", "NEED", "SIUSS" }));
        QCOMPARE(catalog.codes("ISTAT_AREA").size(), 3u);
        QCOMPARE(catalog.codes("ISTAT_AREA")[0]->code(), std::string("ELD"));
        QVERIFY(catalog.codes("NOPE").empty());
    }

    void labelFallsBackToItalian_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shownLang");
        QTest::addColumn<bool>("fellBack");
        QTest::newRow("italian") << "it"
                                 << "Casa"
                                 << "it" << false;
        QTest::newRow("translated") << "en"
                                    << "Housing"
                                    << "en" << false;
        QTest::newRow("kiosk language without a label") << "ar"
                                                        << "Casa"
                                                        << "it" << true;
        QTest::newRow("language not in the release") << "de"
                                                     << "Casa"
                                                     << "it" << true;
    }

    void labelFallsBackToItalian()
    {
        QFETCH(QString, lang);
        QFETCH(QString, text);
        QFETCH(QString, shownLang);
        QFETCH(bool, fellBack);
        const auto catalog = sampleCatalog();
        const auto label = catalog.label("NEED", "HOUSING", lang.toStdString());
        QVERIFY(label.ok());
        QCOMPARE(QString::fromUtf8(label->text.data(), qsizetype(label->text.size())), text);
        QCOMPARE(QString::fromUtf8(label->lang.data(), qsizetype(label->lang.size())), shownLang);
        QCOMPARE(label->fellBack, fellBack);
        QCOMPARE(catalog.description("NEED", "HOUSING", lang.toStdString())->text,
            std::string_view("Non ho una casa"));
    }

    void labelOfUnknownCode()
    {
        const auto catalog = sampleCatalog();
        const auto label = catalog.label("NEED", "FOOD", "en");
        QCOMPARE(label.error().code, ErrorCode::NotFound);
        QCOMPARE(label.error().message, std::string("unknown code NEED:FOOD"));
    }

    void validate_data()
    {
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("error"); // -1: valid
        QTest::addColumn<QString>("message");
        QTest::newRow("active") << "LOCAL"
                                << "L.RENT" << -1 << "";
        QTest::newRow("unknown") << "LOCAL"
                                 << "L.NOPE" << int(ErrorCode::NotFound) << "unknown code LOCAL:L.NOPE";
        QTest::newRow("unknown system") << "NOPE"
                                        << "L.RENT" << int(ErrorCode::NotFound) << "unknown code NOPE:L.RENT";
        QTest::newRow("retired") << "LOCAL"
                                 << "L.OLD" << int(ErrorCode::Invalid)
                                 << "code LOCAL:L.OLD was retired; use LOCAL:L.RENT";
    }

    void validate()
    {
        QFETCH(QString, system);
        QFETCH(QString, code);
        QFETCH(int, error);
        QFETCH(QString, message);
        const auto catalog = sampleCatalog();
        const auto result = catalog.validate(system.toStdString(), code.toStdString());
        if (error < 0) {
            QVERIFY(result.ok());
            QCOMPARE((*result)->code(), code.toStdString());
            return;
        }
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), error);
        QCOMPARE(QString::fromStdString(result.error().message), message);
    }

    void childrenInDisplayOrder()
    {
        const auto catalog = sampleCatalog();
        const auto children = catalog.children("SIUSS", "A1");
        QCOMPARE(children.size(), 2u);
        QCOMPARE(children[0]->code(), std::string("A1.05")); // sort 2 before sort 3
        QCOMPARE(children[1]->code(), std::string("A1.01"));
        QVERIFY(catalog.children("SIUSS", "A1.01").empty());
        QVERIFY(catalog.children("SIUSS", "NOPE").empty());
    }

    void needCodes()
    {
        const auto catalog = sampleCatalog();
        const auto housing = catalog.needCodes("HOUSING");
        QVERIFY(housing.ok());
        QCOMPARE(housing->need->code(), std::string("HOUSING"));
        QCOMPARE(housing->interventions.size(), 1u);
        QCOMPARE(housing->interventions[0]->code(), std::string("L.RENT"));
        // Its own areas first, then the intervention's, each once.
        QCOMPARE(housing->areas.size(), 2u);
        QCOMPARE(housing->areas[0]->code(), std::string("FAM"));
        QCOMPARE(housing->areas[1]->code(), std::string("POV"));
        QCOMPARE(catalog.needCodes("FOOD").error().code, ErrorCode::NotFound);
    }

    void presidiAndForms()
    {
        const auto catalog = sampleCatalog();
        const auto inFirst = catalog.presidiIn("M01");
        QCOMPARE(inFirst.size(), 2u);
        QCOMPARE(inFirst[0]->code(), std::string("P01"));
        QCOMPARE(inFirst[1]->code(), std::string("P03"));
        QCOMPARE(catalog.presidiIn("M02").size(), 1u);
        QVERIFY(catalog.presidiIn("M15").empty());
        QVERIFY(catalog.form("KATZ_ADL"));
        QVERIFY(!catalog.form("NOPE"));
    }

    void sealingIsDeterministic()
    {
        auto first = sampleRelease();
        auto second = sampleRelease();
        std::reverse(second.mutable_codes()->begin(), second.mutable_codes()->end());
        sigess::core::sealRelease(first);
        sigess::core::sealRelease(second);
        QCOMPARE(first.content_hash().size(), 64u);
        QCOMPARE(first.content_hash(), second.content_hash());
        QCOMPARE(sigess::core::serializeRelease(first), sigess::core::serializeRelease(second));
        QCOMPARE(first.codes(0).system(), std::string("ISTAT_AREA"));
        QCOMPARE(first.codes(0).code(), std::string("ELD"));

        auto relabelled = sampleRelease();
        relabelled.mutable_codes(0)->mutable_labels(0)->set_text("Contributi per l'alloggio");
        sigess::core::sealRelease(relabelled);
        QVERIFY(relabelled.content_hash() != first.content_hash());
    }

    void rejectsCorruptReleases_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        auto sealed = sampleRelease();
        sigess::core::sealRelease(sealed);
        const std::string good = sigess::core::serializeRelease(sealed);

        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff", 5)
                                 << "not a valid CatalogRelease encoding";
        QTest::newRow("truncated") << QByteArray(good.data(), qsizetype(good.size() / 2))
                                   << "not a valid CatalogRelease encoding";

        auto tampered = sealed;
        tampered.mutable_codes(0)->mutable_labels(0)->set_text("altro");
        const std::string tamperedBytes = sigess::core::serializeRelease(tampered);
        QTest::newRow("label changed after sealing") << QByteArray(tamperedBytes.data(),
            qsizetype(tamperedBytes.size())) << "fails its integrity check";

        auto unsealed = sampleRelease();
        const std::string unsealedBytes = sigess::core::serializeRelease(unsealed);
        QTest::newRow("never sealed") << QByteArray(unsealedBytes.data(), qsizetype(unsealedBytes.size()))
                                      << "fails its integrity check";

        auto duplicated = sampleRelease();
        addCode(duplicated, "SIUSS", "A1", "Di nuovo");
        sigess::core::sealRelease(duplicated);
        const std::string duplicatedBytes = sigess::core::serializeRelease(duplicated);
        QTest::newRow("code repeated")
            << QByteArray(duplicatedBytes.data(), qsizetype(duplicatedBytes.size()))
            << "repeats code SIUSS:A1";
    }

    void rejectsCorruptReleases()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const auto catalog
            = Catalog::fromBytes(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QVERIFY(!catalog.ok());
        QCOMPARE(catalog.error().code, ErrorCode::Corrupt);
        QVERIFY2(QString::fromStdString(catalog.error().message).contains(reason),
            catalog.error().message.c_str());
    }

    void fromFile()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "current.pb";
        const auto missing = Catalog::fromFile(path);
        QCOMPARE(missing.error().code, ErrorCode::Unavailable);

        auto release = sampleRelease();
        sigess::core::sealRelease(release);
        std::ofstream(path, std::ios::binary) << sigess::core::serializeRelease(release);
        const auto loaded = Catalog::fromFile(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->release().number(), 3u);

        std::ofstream(path, std::ios::binary | std::ios::app) << "junk";
        const auto damaged = Catalog::fromFile(path);
        QCOMPARE(damaged.error().code, ErrorCode::Corrupt);
        QVERIFY(damaged.error().message.starts_with(path.string() + ": "));
    }

    void diff()
    {
        const auto before = sampleCatalog();
        auto next = sampleRelease();
        next.set_number(4);
        addCode(next, "ISTAT_AREA", "DIS", "disabili"); // added
        for (auto &code : *next.mutable_codes()) {
            if (code.code() == "L.RENT") { // retired
                code.set_retired(true);
                code.set_successor("L.OLD");
            } else if (code.code() == "HOUSING") { // relabelled in English only
                code.mutable_labels(1)->set_text("A home");
            } else if (code.code() == "A1.01") { // relabelled in Italian
                code.mutable_labels(0)->set_text("Assegno per il nucleo familiare");
            }
        }
        auto *codes = next.mutable_codes();
        codes->erase(std::find_if(codes->begin(), codes->end(), // removed
            [](const v1::CatalogCode &code) { return code.code() == "ELD"; }));
        sigess::core::sealRelease(next);
        const auto after = Catalog::fromRelease(next);
        QVERIFY(after.ok());

        const auto changes = sigess::core::diff(before, *after);
        QCOMPARE(changes.added.size(), 1u);
        QCOMPARE(changes.added[0].after->code(), std::string("DIS"));
        QVERIFY(!changes.added[0].before);
        QCOMPARE(changes.retired.size(), 1u);
        QCOMPARE(changes.retired[0].before->code(), std::string("L.RENT"));
        QVERIFY(changes.retired[0].after->retired());
        QCOMPARE(changes.relabelled.size(), 2u);
        QCOMPARE(changes.relabelled[0].after->code(), std::string("HOUSING"));
        QCOMPARE(changes.relabelled[1].after->code(), std::string("A1.01"));
        QCOMPARE(changes.relabelled[1].before->labels(0).text(),
            std::string("Assegno per il nucleo familiare erogati dai comuni"));
        QCOMPARE(changes.removed.size(), 1u);
        QCOMPARE(changes.removed[0].before->code(), std::string("ELD"));
        QVERIFY(!changes.removed[0].after);
        QVERIFY(sigess::core::diff(before, before).empty());
    }

    void formatNames()
    {
        for (const auto level : { v1::CODE_LEVEL_UNSPECIFIED, v1::CODE_LEVEL_MACRO_AREA, v1::CODE_LEVEL_AREA,
                 v1::CODE_LEVEL_ITEM })
            QCOMPARE(sigess::core::parseLevel(sigess::core::levelName(level)), level);
        QCOMPARE(sigess::core::levelName(v1::CODE_LEVEL_MACRO_AREA), std::string_view("macro_area"));
        QVERIFY(!sigess::core::parseLevel("cluster"));
        QCOMPARE(sigess::core::parseUrgency("urgent_discreet"), v1::URGENCY_URGENT_DISCREET);
        QVERIFY(!sigess::core::parseUrgency(""));
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
