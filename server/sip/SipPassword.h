#pragma once

#include <QString>

namespace heartline {

/// A fresh SIP password from the system's cryptographic generator: 24 letters and digits (about 142
/// bits), with at least one digit, one upper- and one lower-case letter as Twilio requires.
[[nodiscard]] QString generateSipPassword();

/// Twilio's rule for a SIP credential's password: at least 12 characters, a digit, both cases.
[[nodiscard]] bool meetsTwilioPasswordRules(const QString &password);

} // namespace heartline
