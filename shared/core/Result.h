#pragma once

#include <utility>
#include <variant>

#include <QString>

namespace heartline {

/// A problem found while reading input or configuration: which field, and what is wrong with it.
/// `field` is a dotted path ("devices.audioInput") or a configuration key; empty for the whole input.
struct Problem
{
    QString code;    ///< machine-readable, e.g. "missing_field", "wrong_type", "out_of_range"
    QString field;   ///< the field or key the problem is about
    QString message; ///< a sentence for people, naming the field and what is accepted

    friend bool operator==(const Problem &, const Problem &) = default;
};

/// Either a value or the reason there is none. Services return this instead of throwing, so that
/// errors stay visible at the boundary that maps them to an HTTP status or a start-up message.
template <typename T, typename E = Problem> class Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) { }
    Result(E error) : m_data(std::in_place_index<1>, std::move(error)) { }

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<0>(m_data); }
    [[nodiscard]] T &value() & { return std::get<0>(m_data); }
    [[nodiscard]] T &&value() && { return std::get<0>(std::move(m_data)); }
    [[nodiscard]] const E &error() const { return std::get<1>(m_data); }

    const T *operator->() const { return &value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, E> m_data;
};

} // namespace heartline
