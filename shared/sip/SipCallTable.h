#pragma once

#include <map>
#include <memory>
#include <optional>

#include <QString>

#include "sip/SipTypes.h"

namespace linphone {
class Call;
}

namespace heartline {

/// The calls a SipEngine knows, under the handles SipCore hands out. Lives on the SIP thread with
/// its engine; holding the liblinphone call keeps its wrapper (and so the map key) alive until
/// liblinphone releases it.
class SipCallTable final
{
public:
    struct Entry
    {
        QString handle;
        std::shared_ptr<linphone::Call> call;
        bool connected = false;
        bool endedLocally = false; ///< we hung up, declined or canceled: the end is ours
        bool endReported = false;
        std::optional<SipCallState> reported; ///< the last state SipCore heard of
    };

    Entry &add(const QString &handle, std::shared_ptr<linphone::Call> call);
    /// nullptr when the handle names no call (never existed, or already released).
    [[nodiscard]] Entry *find(const QString &handle);
    [[nodiscard]] Entry *find(const linphone::Call *call);
    void remove(const linphone::Call *call);
    [[nodiscard]] bool isEmpty() const { return m_calls.empty(); }
    void clear() { m_calls.clear(); }

private:
    std::map<const linphone::Call *, Entry> m_calls;
};

} // namespace heartline
