#include "kiosk_enrollment.h"

#include "sync_client/enrollment.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSysInfo>

namespace sigess::kiosk {

namespace {

QString resolved(const QString &configPath, const QString &path)
{
    return path.isEmpty() ? path : QDir::cleanPath(QFileInfo(configPath).absoluteDir().absoluteFilePath(path));
}

Status writeCredential(const QString &path, const std::string &credential)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    // Owner-only before the secret is written, so it is never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QByteArray::fromStdString(credential + '\n')) < 0 || !file.flush())
        return makeError(ErrorCode::Unavailable, "cannot write the device credential " + path.toStdString());
    return {};
}

} // namespace

Result<QString> enrollKiosk(const QString &configPath, const QString &code)
{
    if (!QFileInfo(configPath).isWritable())
        return makeError(ErrorCode::Invalid, "cannot write the kiosk configuration " + configPath.toStdString());
    QSettings settings(configPath, QSettings::IniFormat);
    const QString url = settings.value(QStringLiteral("sync_url")).toString();
    const QString credentialPath = resolved(configPath, settings.value(QStringLiteral("credential_file")).toString());
    if (url.isEmpty() || credentialPath.isEmpty())
        return makeError(ErrorCode::Invalid, "sync_url and credential_file must be set in " + configPath.toStdString()
                                                 + " before enrolling");
    Result<sync::Endpoint> server = sync::parseEndpoint(url.toStdString());
    if (!server.ok())
        return server.takeError();
    const QString caFile = resolved(configPath, settings.value(QStringLiteral("ca_file")).toString());
    Result<sync::EnrolledDevice> enrolled = sync::exchangeEnrollmentCode(
        *server, caFile.toStdString(), code.trimmed().toStdString(), "kiosk " + QSysInfo::machineHostName().toStdString());
    if (!enrolled.ok())
        return enrolled.takeError();
    SIGESS_TRY(writeCredential(credentialPath, enrolled->credential));
    settings.setValue(QStringLiteral("device_id"), QString::fromStdString(enrolled->deviceId));
    if (!enrolled->presidio.empty())
        settings.setValue(QStringLiteral("presidio"), QString::fromStdString(enrolled->presidio));
    if (!enrolled->ticketPrefix.empty())
        settings.setValue(QStringLiteral("ticket_prefix"), QString::fromStdString(enrolled->ticketPrefix));
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return makeError(ErrorCode::Unavailable, "cannot update " + configPath.toStdString());
    return QString::fromStdString(enrolled->deviceId);
}

} // namespace sigess::kiosk
