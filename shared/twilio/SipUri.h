#pragma once

#include <optional>

#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

namespace heartline {

/// Twilio's SIP Domain naming and the SIP URIs Heartline dials (docs/twilio-wire.md, "SIP Domains").
/// Pure text functions: no DNS, no sockets.
namespace sipuri {

/// The longest username a Twilio SIP credential may have.
inline constexpr qsizetype MaxTwilioUsernameLength = 32;

/// A DNS host name: dot-separated labels of 1-63 letters, digits and '-' (not first or last), at
/// most 253 characters, no trailing dot. "example.sip.twilio.com", "localhost".
[[nodiscard]] bool isHostName(QStringView text);

/// What a SIP client can be pointed at as its registrar: HOST or HOST:PORT, where HOST is a host
/// name, an IPv4 address or a bracketed IPv6 address, and PORT is 1-65535.
[[nodiscard]] bool isRegistrarAddress(QStringView text);

/// The Twilio edge host agents register to by default: "NAME.sip.ashburn.twilio.com" for the
/// global "NAME.sip.twilio.com" (Ashburn, US East, was Twilio's first and long its only registrar).
/// Empty for any other domain: its registrar cannot be guessed.
[[nodiscard]] QString defaultEdgeHost(QStringView domain);

/// Why `agentId` cannot be a Twilio SIP credential's username (and so the user part Twilio forks
/// to), or nothing when it can: 1-32 characters of A-Z a-z 0-9 . _ -. Heartline user ids also
/// allow '@' and up to 64 characters; those agents get no SIP credentials.
[[nodiscard]] std::optional<QString> usernameProblem(QStringView agentId);

/// The user part of a SIP URI, escaped as RFC 3261 asks: unreserved characters and the
/// user-unreserved ones that cannot end or split the user (& = + $ ,) stay, everything else is %XX.
/// Agents whose id passes usernameProblem() never need escaping; the rest stay well-formed.
[[nodiscard]] QString escapeUser(QStringView user);

/// What to dial: sip:USER@DOMAIN;transport=TRANSPORT, plus ;secure=true for SRTP.
[[nodiscard]] QString dialUri(QStringView user, QStringView domain, QStringView transport, bool secureMedia);

/// A header carried in a SIP URI (`?name=value&…`): Twilio copies a <Sip> URI's `x-` headers into
/// the INVITE it sends.
using UriHeaders = QList<QPair<QString, QString>>;

/// dialUri() followed by `?name=value&name=value`, names and values percent-encoded (RFC 3261's
/// hname and hvalue: anything but unreserved characters and [ ] / ? : + $ becomes %XX).
[[nodiscard]] QString dialUri(QStringView user, QStringView domain, QStringView transport, bool secureMedia,
                              const UriHeaders &headers);

/// The headers of a SIP URI (after '?'), decoded, in order; empty when it has none.
[[nodiscard]] UriHeaders uriHeaders(QStringView uri);
/// The URI without its headers: what goes in a Request-URI.
[[nodiscard]] QString withoutHeaders(QStringView uri);
/// The value of a URI parameter (`;name=value`, the name matched case-insensitively); an empty
/// string for a parameter without a value; nothing when absent.
[[nodiscard]] std::optional<QString> uriParameter(QStringView uri, QStringView name);

/// The parts of sip:USER@HOST[:PORT][;params][?headers] that say who was called, USER unescaped;
/// nothing when the text is not a sip: or sips: URI with a user.
struct Address
{
    QString user;
    QString host; ///< lower case, without port and parameters
};
[[nodiscard]] std::optional<Address> parseAddress(QStringView uri);

} // namespace sipuri

} // namespace heartline
