// Fixtures of the catalog tests: the source folders under tests/backend/data/catalog/ and
// writable copies of them that a test changes one line at a time.
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <filesystem>
#include <string>

namespace sigess::testing {

inline std::filesystem::path catalogFixture(const char *name)
{
    return std::filesystem::path(SIGESS_SOURCE_DIR) / "tests" / "backend" / "data" / "catalog" / name;
}

// Copies the fixture `name` into `into` (a fresh temporary folder) and returns the copy.
inline std::filesystem::path copyCatalogFixture(const char *name, const QTemporaryDir &into)
{
    const std::filesystem::path copy = std::filesystem::path(into.path().toStdString()) / name;
    std::filesystem::copy(catalogFixture(name), copy, std::filesystem::copy_options::recursive);
    return copy;
}

// Replaces the one occurrence of `from` in a file; false when it is not there exactly once.
inline bool replaceInFile(const std::filesystem::path &file, const QString &from, const QString &to)
{
    QFile in(QString::fromStdString(file.string()));
    if (!in.open(QIODevice::ReadOnly))
        return false;
    QString text = QString::fromUtf8(in.readAll());
    in.close();
    if (text.count(from) != 1)
        return false;
    text.replace(from, to);
    QFile out(QString::fromStdString(file.string()));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return out.write(text.toUtf8()) >= 0;
}

// The good fixture turned into its next release: one code added, one retired, two
// relabelled (Italian and English), one removed.
inline bool makeNextRelease(const std::filesystem::path &copy)
{
    return replaceInFile(copy / "release.csv", "7,2026-01-15", "8,2026-02-01")
        && replaceInFile(copy / "systems" / "LOCAL.csv", "SIUSS:A1.05,,,20,",
            "SIUSS:A1.05,yes,L.A1.04,20,\n"
            "L.A1.04,L.A1,item,Contributo per l'affitto e le utenze,ISTAT_AREA:POV SIUSS:A1.05,,,25,")
        && replaceInFile(copy / "systems" / "ISTAT_SERVICE.csv", "assistenza domiciliare socio-assistenziale",
            "assistenza domiciliare")
        && replaceInFile(copy / "i18n" / "en.csv", "NEED,HOUSING,Housing,", "NEED,HOUSING,A home,")
        && replaceInFile(
            copy / "systems" / "ACCESS_CHANNEL.csv", "PHONE_REPORT,,,Segnalazione telefonica,,,,2,\n", "")
        && replaceInFile(copy / "i18n" / "en.csv", "ACCESS_CHANNEL,PHONE_REPORT,By phone,\n", "");
}

} // namespace sigess::testing
