#pragma once

#include <QString>
#include <QStringList>

namespace heartline {

/// The SIP domain's digest credentials (username → password), kept for Kamailio's auth_db in an
/// SQLite file (Kamailio's `subscriber` table). Kamailio reads the file at every REGISTER, so a
/// credential set or removed here counts from the next request on: no reload, no restart.
///
/// Only HA1 hashes are stored (MD5 of user:realm:password, what digest authentication checks),
/// never the password. The file is in WAL mode so that Kamailio's readers are never blocked by a
/// write (Kamailio 5.6's db_sqlite sets no busy timeout: a locked file would fail the request).
class KamailioSubscribers final
{
public:
    KamailioSubscribers();
    ~KamailioSubscribers();
    KamailioSubscribers(const KamailioSubscribers &) = delete;
    KamailioSubscribers &operator=(const KamailioSubscribers &) = delete;

    /// Creates (or opens) the file with Kamailio's tables. `realm` is the SIP domain, the digest
    /// realm Kamailio challenges with. False with `*error` set on failure.
    bool open(const QString &path, const QString &realm, QString *error = nullptr);
    [[nodiscard]] bool isOpen() const;
    void close();
    [[nodiscard]] QString path() const { return m_path; }

    /// Adds the user or replaces its password. Refuses an empty password, and a username that is
    /// not a plain SIP user part (letters, digits and . _ + - only, at most 64).
    bool setPassword(const QString &username, const QString &password, QString *error = nullptr);
    /// False (and `*error`) when there is no such user.
    bool remove(const QString &username, QString *error = nullptr);
    [[nodiscard]] QStringList usernames() const;

    /// MD5 of "username:realm:password" in lowercase hex (RFC 2617's HA1).
    [[nodiscard]] static QString ha1(const QString &username, const QString &realm, const QString &password);
    [[nodiscard]] static bool isValidUsername(const QString &username);

private:
    QString m_connection; ///< the QSqlDatabase connection name, unique per store
    QString m_path;
    QString m_realm;
};

} // namespace heartline
