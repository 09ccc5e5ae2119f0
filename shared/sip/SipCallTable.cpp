#include "SipCallTable.h"

#include <linphone++/linphone.hh>

namespace heartline {

SipCallTable::Entry &SipCallTable::add(const QString &handle, std::shared_ptr<linphone::Call> call)
{
    const linphone::Call *key = call.get();
    Entry &entry = m_calls[key];
    entry = Entry {};
    entry.handle = handle;
    entry.call = std::move(call);
    return entry;
}

SipCallTable::Entry *SipCallTable::find(const QString &handle)
{
    for (auto &[key, entry] : m_calls) {
        if (entry.handle == handle)
            return &entry;
    }
    return nullptr;
}

SipCallTable::Entry *SipCallTable::find(const linphone::Call *call)
{
    const auto it = m_calls.find(call);
    return it == m_calls.end() ? nullptr : &it->second;
}

void SipCallTable::remove(const linphone::Call *call)
{
    m_calls.erase(call);
}

} // namespace heartline
