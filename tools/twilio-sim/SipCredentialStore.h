#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QList>
#include <QObject>
#include <QString>

#include "SimModel.h"
#include "core/Result.h"

namespace heartline {

class Clock;

/// A Credential List as the stand-in keeps it (Twilio's SIP/CredentialLists resource).
struct SimCredentialList
{
    QString sid; ///< CL…
    QString friendlyName;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

/// One SIP credential of a list. Twilio keeps only a digest of the password; the stand-in keeps it
/// in memory as given, because its registrar must check SIP digests against it.
struct SimSipCredential
{
    QString sid; ///< CR…
    QString credentialListSid;
    QString username;
    QString password;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

/// The stand-in's SIP credentials: Credential Lists and their Credentials, in memory, with Twilio's
/// rules (FriendlyName up to 64 characters; Username up to 32 characters, once per list; Password
/// of at least 12 characters with a digit, an upper- and a lower-case letter). Every change is
/// signalled at once so a SIP registrar serving the stand-in's domain can follow it.
class SipCredentialStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipCredentialStore)

public:
    explicit SipCredentialStore(const Clock &clock, QObject *parent = nullptr);
    ~SipCredentialStore() override;

    /// Oldest first.
    [[nodiscard]] QList<const SimCredentialList *> lists() const;
    [[nodiscard]] const SimCredentialList *findList(const QString &sid) const;
    Result<const SimCredentialList *, SimError> createList(const QString &friendlyName);
    Result<const SimCredentialList *, SimError> renameList(const QString &sid, const QString &friendlyName);
    /// Deletes the list and every credential in it.
    std::optional<SimError> deleteList(const QString &sid);

    /// The list's credentials, oldest first.
    [[nodiscard]] QList<const SimSipCredential *> credentials(const QString &listSid) const;
    [[nodiscard]] const SimSipCredential *findCredential(const QString &listSid, const QString &sid) const;
    Result<const SimSipCredential *, SimError> createCredential(const QString &listSid, const QString &username,
                                                                const QString &password);
    Result<const SimSipCredential *, SimError> changePassword(const QString &listSid, const QString &sid,
                                                              const QString &password);
    std::optional<SimError> deleteCredential(const QString &listSid, const QString &sid);

    /// Every credential of every list: what a registrar starting late loads first.
    [[nodiscard]] QList<SimSipCredential> allCredentials() const;

    /// Why Twilio would refuse this Password, or nothing. Never repeats the password.
    [[nodiscard]] static std::optional<QString> passwordProblem(const QString &password);
    /// Why Twilio would refuse this Username, or nothing.
    [[nodiscard]] static std::optional<QString> usernameProblem(const QString &username);

Q_SIGNALS:
    /// A credential was created or its password changed.
    void credentialChanged(const QString &credentialListSid, const QString &username, const QString &password);
    /// A credential was deleted (alone or with its list).
    void credentialRemoved(const QString &credentialListSid, const QString &username);

private:
    SimCredentialList *list(const QString &sid);
    SimSipCredential *credential(const QString &listSid, const QString &sid);

    const Clock &m_clock;
    std::vector<std::unique_ptr<SimCredentialList>> m_lists;
    std::vector<std::unique_ptr<SimSipCredential>> m_credentials;
};

} // namespace heartline
