#include "ctl/command.h"

#include <QTest>

#include <sstream>

class TestCtlCf : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void check_data();
    void check();
};

void TestCtlCf::check_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("err");
    QTest::addColumn<int>("status");

    const QString usage = QStringLiteral("usage: sigessctl cf check CF...\n");
    QTest::newRow("one valid code") << QStringList { "check", "RSSMRA85T10A562S" }
                                    << "RSSMRA85T10A562S: valid (born 1985-12-10, M)\n"
                                    << QString() << 0;
    QTest::newRow("typed as users do, female")
        << QStringList { "check", "bnc lra 92e41 h501p" } << "BNCLRA92E41H501P: valid (born 1992-05-01, F)\n"
        << QString() << 0;
    QTest::newRow("omocodia") << QStringList { "check", "RSSMRAURTMLARSNL" }
                              << "RSSMRAURTMLARSNL: valid (born 1985-12-10, M)\n"
                              << QString() << 0;
    QTest::newRow("one invalid among valid ones")
        << QStringList { "check", "RSSMRA85T10A562S", "rssmra85t10a562x", "RSSMRA85B31H501B",
               "RSSMRA85T50A562W" }
        << "RSSMRA85T10A562S: valid (born 1985-12-10, M)\n"
           "RSSMRA85T10A562X: invalid: check character is 'X', expected 'S'\n"
           "RSSMRA85B31H501B: invalid: day 31 does not exist in February 1985\n"
           "RSSMRA85T50A562W: valid (born 1985-12-10, F)\n"
        << QString() << 1;
    QTest::newRow("too short") << QStringList { "check", "RSSMRA85T10A562" }
                               << "RSSMRA85T10A562: invalid: 16 characters expected, found 15\n"
                               << QString() << 1;
    QTest::newRow("empty code") << QStringList { "check", "" }
                                << "\"\": invalid: 16 characters expected, found 0\n"
                                << QString() << 1;
    QTest::newRow("no code") << QStringList { "check" } << QString() << usage << 2;
    QTest::newRow("no action") << QStringList {} << QString() << usage << 2;
    QTest::newRow("unknown action") << QStringList { "verify", "RSSMRA85T10A562S" } << QString() << usage
                                    << 2;
}

void TestCtlCf::check()
{
    QFETCH(QStringList, args);
    QFETCH(QString, out);
    QFETCH(QString, err);
    QFETCH(int, status);

    sigess::ctl::Args commandArgs;
    for (const QString &arg : args)
        commandArgs.push_back(arg.toStdString());
    std::istringstream in;
    std::ostringstream outStream;
    std::ostringstream errStream;
    QCOMPARE(sigess::ctl::runCf(commandArgs, { in, outStream, errStream }), status);
    QCOMPARE(QString::fromStdString(outStream.str()), out);
    QCOMPARE(QString::fromStdString(errStream.str()), err);
}

QTEST_GUILESS_MAIN(TestCtlCf)
#include "tst_ctl_cf.moc"
