#include "SipCredentialStore.h"

#include <algorithm>

#include "CallEngine.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr qsizetype MaxFriendlyName = 64;
constexpr qsizetype MaxUsername = 32;
constexpr qsizetype MinPassword = 12;

SimError notFound(const QString &what)
{
    return SimError {404, 20404, u"The requested resource %1 was not found"_s.arg(what)};
}

/// Twilio's error code for these refusals is not documented where we could read it: the stand-in
/// answers them as it answers every invalid parameter.
SimError invalid(const QString &message)
{
    return SimError {400, 20001, message};
}

/// RFC 3261's user characters (unreserved and user-unreserved), without escapes: what can be both a
/// digest username and the user part Twilio dials.
bool isUserCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || QStringView(u"-_.!~*'()&=+$,;?/").contains(c);
}

} // namespace

SipCredentialStore::SipCredentialStore(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) { }

SipCredentialStore::~SipCredentialStore() = default;

std::optional<QString> SipCredentialStore::passwordProblem(const QString &password)
{
    const bool digit = std::any_of(password.cbegin(), password.cend(), [](QChar c) { return c.isDigit(); });
    const bool upper = std::any_of(password.cbegin(), password.cend(), [](QChar c) { return c.isUpper(); });
    const bool lower = std::any_of(password.cbegin(), password.cend(), [](QChar c) { return c.isLower(); });
    if (password.size() < MinPassword || !digit || !upper || !lower)
        return u"Password must be at least 12 characters long and contain a digit, an upper-case and a lower-case "
               "letter"_s;
    return std::nullopt;
}

std::optional<QString> SipCredentialStore::usernameProblem(const QString &username)
{
    if (username.isEmpty() || username.size() > MaxUsername
        || !std::all_of(username.cbegin(), username.cend(), isUserCharacter))
        return u"Username must be 1 to 32 characters a SIP URI can carry, got \"%1\""_s.arg(username.left(64));
    return std::nullopt;
}

QList<const SimCredentialList *> SipCredentialStore::lists() const
{
    QList<const SimCredentialList *> out;
    for (const auto &entry : m_lists)
        out.append(entry.get());
    return out;
}

const SimCredentialList *SipCredentialStore::findList(const QString &sid) const
{
    const auto found
        = std::find_if(m_lists.begin(), m_lists.end(), [&](const auto &entry) { return entry->sid == sid; });
    return found == m_lists.end() ? nullptr : found->get();
}

SimCredentialList *SipCredentialStore::list(const QString &sid)
{
    return const_cast<SimCredentialList *>(findList(sid));
}

Result<const SimCredentialList *, SimError> SipCredentialStore::createList(const QString &friendlyName)
{
    if (friendlyName.isEmpty() || friendlyName.size() > MaxFriendlyName)
        return invalid(u"FriendlyName must be 1 to 64 characters"_s);
    auto entry = std::make_unique<SimCredentialList>();
    entry->sid = newSid(u"CL"_s);
    entry->friendlyName = friendlyName;
    entry->createdMs = entry->updatedMs = m_clock.nowMs();
    m_lists.push_back(std::move(entry));
    return m_lists.back().get();
}

Result<const SimCredentialList *, SimError> SipCredentialStore::renameList(const QString &sid,
                                                                           const QString &friendlyName)
{
    SimCredentialList *entry = list(sid);
    if (!entry)
        return notFound(sid);
    if (friendlyName.isEmpty() || friendlyName.size() > MaxFriendlyName)
        return invalid(u"FriendlyName must be 1 to 64 characters"_s);
    entry->friendlyName = friendlyName;
    entry->updatedMs = m_clock.nowMs();
    return entry;
}

std::optional<SimError> SipCredentialStore::deleteList(const QString &sid)
{
    if (!findList(sid))
        return notFound(sid);
    for (const SimSipCredential *entry : credentials(sid)) {
        if (auto error = deleteCredential(sid, entry->sid))
            return error;
    }
    std::erase_if(m_lists, [&](const auto &entry) { return entry->sid == sid; });
    return std::nullopt;
}

QList<const SimSipCredential *> SipCredentialStore::credentials(const QString &listSid) const
{
    QList<const SimSipCredential *> out;
    for (const auto &entry : m_credentials) {
        if (entry->credentialListSid == listSid)
            out.append(entry.get());
    }
    return out;
}

const SimSipCredential *SipCredentialStore::findCredential(const QString &listSid, const QString &sid) const
{
    const auto found = std::find_if(m_credentials.begin(), m_credentials.end(), [&](const auto &entry) {
        return entry->sid == sid && entry->credentialListSid == listSid;
    });
    return found == m_credentials.end() ? nullptr : found->get();
}

SimSipCredential *SipCredentialStore::credential(const QString &listSid, const QString &sid)
{
    return const_cast<SimSipCredential *>(findCredential(listSid, sid));
}

Result<const SimSipCredential *, SimError>
SipCredentialStore::createCredential(const QString &listSid, const QString &username, const QString &password)
{
    if (!findList(listSid))
        return notFound(listSid);
    if (username.isEmpty())
        return invalid(u"Missing required parameter Username in the post body"_s);
    if (password.isEmpty())
        return invalid(u"Missing required parameter Password in the post body"_s);
    if (auto problem = usernameProblem(username))
        return invalid(*problem);
    if (auto problem = passwordProblem(password))
        return invalid(*problem);
    for (const SimSipCredential *existing : credentials(listSid)) {
        if (existing->username == username)
            return invalid(u"A Credential with Username %1 already exists in this list"_s.arg(username));
    }
    auto entry = std::make_unique<SimSipCredential>();
    entry->sid = newSid(u"CR"_s);
    entry->credentialListSid = listSid;
    entry->username = username;
    entry->password = password;
    entry->createdMs = entry->updatedMs = m_clock.nowMs();
    m_credentials.push_back(std::move(entry));
    const SimSipCredential *created = m_credentials.back().get();
    Q_EMIT credentialChanged(listSid, username, password);
    return created;
}

Result<const SimSipCredential *, SimError>
SipCredentialStore::changePassword(const QString &listSid, const QString &sid, const QString &password)
{
    SimSipCredential *entry = credential(listSid, sid);
    if (!entry)
        return notFound(sid);
    if (auto problem = passwordProblem(password))
        return invalid(*problem);
    entry->password = password;
    entry->updatedMs = m_clock.nowMs();
    Q_EMIT credentialChanged(listSid, entry->username, password);
    return entry;
}

std::optional<SimError> SipCredentialStore::deleteCredential(const QString &listSid, const QString &sid)
{
    const SimSipCredential *entry = findCredential(listSid, sid);
    if (!entry)
        return notFound(sid);
    const QString username = entry->username;
    std::erase_if(m_credentials, [&](const auto &candidate) { return candidate.get() == entry; });
    Q_EMIT credentialRemoved(listSid, username);
    return std::nullopt;
}

QList<SimSipCredential> SipCredentialStore::allCredentials() const
{
    QList<SimSipCredential> out;
    for (const auto &entry : m_credentials)
        out.append(*entry);
    return out;
}

} // namespace heartline
