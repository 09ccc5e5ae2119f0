#pragma once

#include <limits>
#include <optional>
#include <span>

#include <QString>
#include <QStringView>

#include "core/Result.h"

namespace heartline {

class FormParams;

/// Reads the parameters routing acts on out of a Twilio webhook's form, strictly: each may be
/// given once, words must be Twilio's exactly and numbers are digits only. Twilio never sends
/// anything else, so what fails here is refused whole (problem "invalid_value" naming the
/// parameter) instead of being guessed at. The status callback and the Dial action share it so
/// both refuse the same things the same way.
class WebhookParams final
{
public:
    /// The largest whole number accepted: what an int holds (SequenceNumber is kept as one).
    static constexpr qint64 MaxWholeNumber = std::numeric_limits<int>::max();

    explicit WebhookParams(const FormParams &params) : m_params(params) { }

    /// The value of `name`, empty when absent; a problem when it is given more than once.
    [[nodiscard]] Result<QString> single(const QString &name) const;
    /// The value of `name`, which must be one of `words` exactly (case included).
    [[nodiscard]] Result<QString> oneOf(const QString &name, std::span<const QStringView> words) const;
    /// Nothing when `name` is absent or empty (the webhook does not say); otherwise a whole number
    /// from 0 to MaxWholeNumber written in digits only ("-1", "+3", " 3" and "3.0" are refused).
    [[nodiscard]] Result<std::optional<qint64>> wholeNumber(const QString &name) const;

    /// "a, b or c".
    [[nodiscard]] static QString wordList(std::span<const QStringView> words);

private:
    const FormParams &m_params;
};

} // namespace heartline
