#include "catalog_fixture.h"
#include "ctl/command.h"

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using sigess::testing::catalogFixture;

namespace {

struct Run {
    int status = 0;
    QString out;
    QString err;
};

Run catalog(const sigess::ctl::Args &args)
{
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    Run run;
    run.status = sigess::ctl::runCatalog(args, { in, out, err });
    run.out = QString::fromStdString(out.str());
    run.err = QString::fromStdString(err.str());
    return run;
}

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return (std::filesystem::path(dir.path().toStdString()) / name).string();
}

} // namespace

class TestCtlCatalog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_release;

private Q_SLOTS:
    void initTestCase()
    {
        m_release = pathIn(m_dir, "good.pb");
        const auto built
            = catalog({ "build", "--source", catalogFixture("good").string(), "--out", m_release });
        QVERIFY2(built.status == 0, qPrintable(built.err));
    }

    void buildPrintsSummaryAndCoverage()
    {
        const auto out = pathIn(m_dir, "summary.pb");
        const auto run = catalog(
            { "build", "--source", catalogFixture("good").string(), "--out", out, "--number", "9" });
        QCOMPARE(run.status, 0);
        QCOMPARE(run.err, QString());
        QVERIFY(std::filesystem::exists(out));
        QVERIFY(run.out.startsWith("catalog release 9 of 2026-01-15\ncontent hash "));
        QVERIFY(run.out.contains("  LOCAL 5\n"));
        QVERIFY(run.out.contains("  NEED 3\n"));
        QVERIFY(run.out.contains("presidi: 3\n"));
        QVERIFY(run.out.contains("forms: 1 (MINI_ADL)\n"));
        QVERIFY(run.out.contains("languages: 3 (it, en, ar)\n"));
        QVERIFY(run.out.endsWith("translation coverage of citizen-facing concepts:\n"
                                 "  en: complete\n"
                                 "  ar: 2 missing, shown in Italian:\n"
                                 "    ACCESS_CHANNEL:PHONE_REPORT\n"
                                 "    NEED:SAFETY\n"));
    }

    void buildReportsEveryErrorAndWritesNothing()
    {
        const auto out = pathIn(m_dir, "broken.pb");
        const std::string source = catalogFixture("broken").string();
        const auto run = catalog({ "build", "--source", source, "--out", out });
        QCOMPARE(run.status, 1);
        QVERIFY(!std::filesystem::exists(out));
        const QString root = QString::fromStdString(source) + '/';
        QVERIFY(run.err.contains(root + "systems/LOCAL.csv:5: [local-istat-area] "));
        QVERIFY(run.err.contains(root + "systems/SIUSS.csv:2: [csv] a quoted field is never closed\n"));
        QVERIFY(run.err.endsWith("failed with 42 error(s); nothing written\n"));
        QCOMPARE(run.err.count('\n'), 43);
    }

    void defaultReleasePathFromEnvironment()
    {
        const QByteArray path = QByteArray::fromStdString(pathIn(m_dir, "env/current.pb"));
        qputenv("SIGESS_CATALOG", path);
        const auto built = catalog({ "build", "--source", catalogFixture("good").string() });
        QCOMPARE(built.status, 0);
        QVERIFY(built.out.contains("written to " + QString::fromUtf8(path) + '\n'));
        const auto shown = catalog({ "show" });
        qunsetenv("SIGESS_CATALOG");
        QCOMPARE(shown.status, 0);
        QVERIFY(shown.out.startsWith("catalog release 7 of 2026-01-15\n"));
    }

    void showRelease()
    {
        const auto run = catalog({ "show", "--file", m_release });
        QCOMPARE(run.status, 0);
        QVERIFY(run.out.startsWith("catalog release 7 of 2026-01-15\ncontent hash "));
        QVERIFY(run.out.contains("ISTAT_AREA:POV\tpovertà, disagio adulti e senza dimora\n"));
        QVERIFY(run.out.contains("LOCAL:L.A1.03\tAiuto domestico (vecchia voce)\t(retired)\n"));
        const auto arabic = catalog({ "show", "--file", m_release, "--lang", "ar" });
        QVERIFY(arabic.out.contains("NEED:HOUSING\tالسكن\n"));
        QVERIFY(arabic.out.contains("NEED:SAFETY\tParlare in privato\n"));
    }

    void showCode_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("out");
        QTest::newRow("tree node with children") << QStringList { "LOCAL:L.A1" }
                                                 << "LOCAL:L.A1 (area)\n"
                                                    "  labels:\n"
                                                    "    it: Accesso e sostegno\n"
                                                    "    (2 other language(s) fall back to Italian)\n"
                                                    "  parent: LOCAL:L.A Interventi e servizi\n"
                                                    "  children:\n"
                                                    "    LOCAL:L.A1.02 Assistenza domiciliare agli anziani\n"
                                                    "    LOCAL:L.A1.01 Contributo per l'affitto\n"
                                                    "    LOCAL:L.A1.03 Aiuto domestico (vecchia voce)\n";
        QTest::newRow("need without its language")
            << QStringList { "--lang", "ar", "NEED:SAFETY" }
            << "NEED:SAFETY\n"
               "  label [ar]: Parlare in privato  (no ar label: Italian shown)\n"
               "  labels:\n"
               "    it: Parlare in privato\n"
               "    en: Talk in private\n"
               "    (1 other language(s) fall back to Italian)\n"
               "  icon: shield\n"
               "  urgency: urgent_discreet\n"
               "  maps to:\n"
               "    ISTAT_AREA:FAM famiglia e minori\n";
        QTest::newRow("retired code found without its system")
            << QStringList { "L.A1.03" }
            << "LOCAL:L.A1.03 (item)\n"
               "  labels:\n"
               "    it: Aiuto domestico (vecchia voce)\n"
               "    (2 other language(s) fall back to Italian)\n"
               "  retired; successor LOCAL:L.A1.02\n"
               "  demo data\n"
               "  parent: LOCAL:L.A1 Accesso e sostegno\n"
               "  maps to:\n"
               "    ISTAT_AREA:ELD anziani\n";
    }

    void showCode()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, out);
        sigess::ctl::Args command { "show", "--file", m_release };
        for (const auto &arg : args)
            command.push_back(arg.toStdString());
        const auto run = catalog(command);
        QCOMPARE(run.status, 0);
        QCOMPARE(run.out, out);
    }

    void showUnknownCode()
    {
        const auto run = catalog({ "show", "--file", m_release, "SIUSS:A9.99" });
        QCOMPARE(run.status, 1);
        QCOMPARE(run.err, QString("sigessctl catalog: unknown code SIUSS:A9.99\n"));
    }

    void showMissingRelease()
    {
        const auto run = catalog({ "show", "--file", pathIn(m_dir, "nowhere.pb") });
        QCOMPARE(run.status, 1);
        QVERIFY(run.err.contains("Unavailable: cannot open catalog release"));
    }

    void diffTwoReleases()
    {
        QTemporaryDir dir;
        const auto copy = sigess::testing::copyCatalogFixture("good", dir);
        QVERIFY(sigess::testing::makeNextRelease(copy));
        const auto next = pathIn(dir, "next.pb");
        QCOMPARE(catalog({ "build", "--source", copy.string(), "--out", next }).status, 0);

        const auto run = catalog({ "diff", m_release, next });
        QCOMPARE(run.status, 0);
        QCOMPARE(run.out,
            QString("catalog diff: release 7 of 2026-01-15 -> release 8 of 2026-02-01\n"
                    "added: 1\n"
                    "  LOCAL:L.A1.04 Contributo per l'affitto e le utenze\n"
                    "retired: 1\n"
                    "  LOCAL:L.A1.01 -> successor LOCAL:L.A1.04\n"
                    "relabelled: 2\n"
                    "  ISTAT_SERVICE:HOMECARE\n"
                    "    it: 'assistenza domiciliare socio-assistenziale' -> 'assistenza domiciliare'\n"
                    "  NEED:HOUSING\n"
                    "    en: 'Housing' -> 'A home'\n"
                    "removed: 1\n"
                    "  ACCESS_CHANNEL:PHONE_REPORT Segnalazione telefonica\n"));
        const auto same = catalog({ "diff", m_release, m_release });
        QVERIFY(same.out.endsWith("no code changes\n"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no action") << QStringList {} << "missing action";
        QTest::newRow("unknown action") << QStringList { "publish" } << "unknown action 'publish'";
        QTest::newRow("unknown option")
            << QStringList { "build", "--force", "x" } << "unknown option --force";
        QTest::newRow("option without value")
            << QStringList { "show", "--lang" } << "option --lang needs a value";
        QTest::newRow("bad number") << QStringList { "build", "--number", "0" }
                                    << "--number must be a positive integer";
        QTest::newRow("diff of one") << QStringList { "diff", "a.pb" } << "diff needs two release files";
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, problem);
        sigess::ctl::Args command;
        for (const auto &arg : args)
            command.push_back(arg.toStdString());
        const auto run = catalog(command);
        QCOMPARE(run.status, 2);
        QVERIFY(run.err.startsWith("sigessctl catalog: " + problem + "\nusage: sigessctl catalog build"));
    }
};

QTEST_GUILESS_MAIN(TestCtlCatalog)
#include "tst_ctl_catalog.moc"
