#include "kiosk_config.h"

#include "core/uuid.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace sigess::kiosk {

namespace {

QString resolved(const QDir &base, const QString &path)
{
    return path.isEmpty() ? path : QDir::cleanPath(base.absoluteFilePath(path));
}

} // namespace

KioskConfig developmentKioskConfig(const QString &deviceId)
{
    KioskConfig config;
    config.deviceId = deviceId;
    config.presidio = QStringLiteral("P-M01-01");
    config.service = QStringLiteral("SEGRETARIATO");
    config.serviceLetter = QStringLiteral("A");
    config.storePath = QStringLiteral("var/kiosk/kiosk.db");
    config.keyPath = QStringLiteral("var/kiosk/kiosk.key");
    config.deviceSecretPath = QStringLiteral("var/kiosk/device-secret");
    config.catalogPath = QStringLiteral("var/catalog/current.pb");
    return config;
}

Result<KioskConfig> loadKioskConfig(const QString &path)
{
    if (!QFileInfo(path).isReadable())
        return makeError(ErrorCode::Invalid, "cannot read the kiosk configuration " + path.toStdString());
    QSettings file(path, QSettings::IniFormat);
    if (file.status() != QSettings::NoError)
        return makeError(ErrorCode::Invalid, "the kiosk configuration " + path.toStdString() + " is malformed");

    const QDir base = QFileInfo(path).absoluteDir();
    KioskConfig config = developmentKioskConfig(file.value(QStringLiteral("device_id")).toString());
    if (!core::Uuid::parse(config.deviceId.toStdString()).ok())
        return makeError(ErrorCode::Invalid, "device_id in " + path.toStdString() + " is not a UUID");

    const auto text = [&](const char *key, QString &into) {
        into = file.value(QLatin1String(key), into).toString();
    };
    text("presidio", config.presidio);
    text("service", config.service);
    text("service_letter", config.serviceLetter);
    text("ticket_prefix", config.ticketPrefix);
    text("printer_device", config.printerDevice);
    text("sync_url", config.syncUrl);
    for (auto [key, into] : { std::pair { "store", &config.storePath }, { "key_file", &config.keyPath },
             { "device_secret", &config.deviceSecretPath }, { "catalog", &config.catalogPath },
             { "ca_file", &config.caFile }, { "credential_file", &config.credentialPath } }) {
        *into = resolved(base, file.value(QLatin1String(key), *into).toString());
    }
    for (auto [key, into] : { std::pair { "minutes_per_ticket", &config.minutesPerTicket },
             { "open_desks", &config.openDesks }, { "idle_seconds", &config.idleSeconds },
             { "countdown_seconds", &config.countdownSeconds } }) {
        bool ok = true;
        const int value = file.value(QLatin1String(key), *into).toInt(&ok);
        if (!ok || value <= 0)
            return makeError(ErrorCode::Invalid, std::string(key) + " in " + path.toStdString() + " must be a positive number");
        *into = value;
    }
    config.spokenCalls = file.value(QStringLiteral("spoken_calls"), config.spokenCalls).toBool();
    if (config.serviceLetter.isEmpty() || config.presidio.isEmpty())
        return makeError(ErrorCode::Invalid, "presidio and service_letter in " + path.toStdString() + " must not be empty");
    return config;
}

bool awaitsEnrollment(const KioskConfig &config)
{
    return !config.syncUrl.isEmpty() && (config.credentialPath.isEmpty() || !QFileInfo::exists(config.credentialPath));
}

Result<sync::SyncClientOptions> syncClientOptions(const KioskConfig &config)
{
    if (config.syncUrl.isEmpty())
        return makeError(ErrorCode::Invalid, "sync_url is not set: the kiosk works offline");
    QFile file(config.credentialPath);
    if (config.credentialPath.isEmpty() || !file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Invalid, "cannot read the device credential " + config.credentialPath.toStdString()
                                                 + " (enroll the kiosk with --enroll CODE)");
    const QByteArray credential = file.readAll().trimmed();
    if (credential.isEmpty())
        return makeError(ErrorCode::Invalid, "the device credential " + config.credentialPath.toStdString() + " is empty");
    sync::SyncClientOptions options;
    options.url = config.syncUrl.toStdString();
    options.caFile = config.caFile.toStdString();
    options.hello.set_device_id(config.deviceId.toStdString());
    options.hello.set_device_credential(credential.toStdString());
    options.hello.set_protocol_version(1);
    return options;
}

} // namespace sigess::kiosk
