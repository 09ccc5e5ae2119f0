#include "sip/SipSettings.h"

#include "config/Config.h"
#include "twilio/SipUri.h"

namespace heartline {

std::optional<SipSettings> SipSettings::fromConfig(const Config &config)
{
    const QString domain = config.stringValue(ConfigKey::SipDomain);
    if (domain.isEmpty())
        return std::nullopt;
    SipSettings settings;
    settings.domain = domain;
    settings.registrar = config.stringValue(ConfigKey::SipEdgeHost);
    settings.transport = config.stringValue(ConfigKey::SipTransport);
    settings.secureMedia = config.boolValue(ConfigKey::SipSecureMedia);
    settings.credentialListName = config.stringValue(ConfigKey::SipCredentialList);
    settings.credentialTimeoutMs = config.intValue(ConfigKey::SipCredentialTimeoutMs);
    return settings;
}

QString SipSettings::dialUri(const QString &agentId, const QString &parentCallSid) const
{
    return sipuri::dialUri(agentId, domain, transport, secureMedia,
                           {{QStringLiteral("x-heartline-parent-callsid"), parentCallSid}});
}

} // namespace heartline
