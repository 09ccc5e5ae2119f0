#pragma once

#include <optional>
#include <span>

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QVariant>

#include "core/Result.h"

namespace heartline {

/// Every configuration key Heartline knows. The table in Config.cpp gives each one its INI name,
/// environment name, type, default, range and help text; nothing else may define a key.
enum class ConfigKey {
    // The seed's names
    FeatureAgentHeartbeat,
    FeatureDeviceConnectivity,
    FeatureEnhancedDiscovery,
    AgentHeartbeatInterval,
    InboundCallDebug,
    // Discovery and readiness
    FeatureDiscoveryFallback,
    HeartbeatThreshold,
    ReadinessThreshold,
    // Server
    ListenAddress,
    DatabasePath,
    PublicBaseUrl,
    // HTTPS and WSS
    TlsCertificateFile,
    TlsPrivateKeyFile,
    AllowPlainHttp,
    PlainHttpListenAddress,
    // Twilio
    TwilioAccountSid,
    TwilioAuthToken,
    TwilioApiBaseUrl,
    // Users and sessions
    PasswordIterations,
    SessionTokenTtl,
    // Agent connections
    WsPingInterval,
    ReconnectGraceSeconds,
    IdlePromptSeconds,
    IdleGraceSeconds,
    InputQuietSeconds,
    // Routing
    CooldownSeconds,
    DialTimeoutSeconds,
    RoutingFile,
    RoutingStrategy,
    ReconcileIntervalSeconds,
    ServiceLevelSeconds,
    MediaDir,
    TwilioApiKeySid,
    TwilioApiKeySecret,
    TwilioTwimlAppSid,
    // Supervisors
    SupervisorPushIntervalMs,
    // Real voice: agents' softphones registered at a Twilio SIP Domain
    SipDomain,
    SipEdgeHost,
    SipTransport,
    SipSecureMedia,
    SipCredentialList,
    SipCredentialTimeoutMs,
};

enum class ConfigType {
    Bool,
    Int,
    Double,
    String,
    Url,
    HostPort,
    Choice, ///< one word of ConfigKeyInfo::choices
};

struct ConfigKeyInfo
{
    ConfigKey key;
    const char *envName; ///< environment and command-line name: "AGENT_HEARTBEAT_INTERVAL"
    const char *iniName; ///< "group/name" in the INI file: "heartbeat/interval"
    ConfigType type;
    const char *defaultValue; ///< as text; nullptr when there is none or it is derived (see help)
    double minimum;           ///< for Int and Double
    double maximum;
    bool secret; ///< never printed, never logged
    const char *help;
    QStringList (*choices)() = nullptr; ///< for Choice: the accepted words, exactly as written
    const char *accepts = nullptr;      ///< what is accepted, when the type alone says too little ("any text")
};

/// The whole table, in the order --help-config prints it.
[[nodiscard]] std::span<const ConfigKeyInfo> configKeys();
[[nodiscard]] const ConfigKeyInfo &configKeyInfo(ConfigKey key);
/// Finds a key by its environment name or its INI name.
[[nodiscard]] std::optional<ConfigKey> configKeyByName(QStringView name);

/// Where values come from. Precedence: commandLine > environment > iniFile > default.
struct ConfigSources
{
    QHash<QString, QString> commandLine = {}; ///< keyed by environment name (from --set KEY=VALUE)
    QHash<QString, QString> environment = {}; ///< usually the process environment; unknown names ignored
    QString iniFile = {};                     ///< empty for none; a named file that is missing is an error
};

/// Resolved, validated configuration. Immutable once loaded; copy it freely.
class Config
{
public:
    /// Defaults only (what a server started without any configuration uses).
    Config();

    /// Every problem found, not only the first, so an admin fixes them in one go.
    [[nodiscard]] static Result<Config, QList<Problem>> load(const ConfigSources &sources);

    [[nodiscard]] bool boolValue(ConfigKey key) const;
    [[nodiscard]] int intValue(ConfigKey key) const;
    [[nodiscard]] double doubleValue(ConfigKey key) const;
    [[nodiscard]] QString stringValue(ConfigKey key) const;
    /// "default", "file", "environment" or "command line".
    [[nodiscard]] QString sourceOf(ConfigKey key) const;
    /// TLS_CERTIFICATE_FILE and TLS_PRIVATE_KEY_FILE are set: LISTEN_ADDRESS serves HTTPS and WSS.
    [[nodiscard]] bool tlsEnabled() const;

    /// The table as text for --help-config.
    [[nodiscard]] static QString helpText();
    /// The table as Markdown; docs/configuration.md embeds it and a test keeps the two identical.
    [[nodiscard]] static QString helpMarkdown();

private:
    void resolveDerivedDefaults();
    /// The rules that tie the SIP keys together and to the Twilio credentials.
    void checkSip(QList<Problem> &problems) const;
    /// The certificate and key go together; plain HTTP beyond this machine only when asked for.
    void checkTls(QList<Problem> &problems) const;

    QList<QVariant> m_values; ///< typed value per key, indexed by ConfigKey
    QList<QString> m_sources; ///< where each value came from
};

} // namespace heartline
