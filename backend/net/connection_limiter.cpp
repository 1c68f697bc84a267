#include "net/connection_limiter.h"

namespace sigess::net {

ConnectionLimiter::Ticket::Ticket(ConnectionLimiter *limiter, std::string address)
    : m_limiter(limiter), m_address(std::move(address))
{
}

ConnectionLimiter::Ticket::Ticket(Ticket &&other) noexcept
    : m_limiter(std::exchange(other.m_limiter, nullptr)), m_address(std::move(other.m_address))
{
}

ConnectionLimiter::Ticket::~Ticket()
{
    if (m_limiter)
        m_limiter->release(m_address);
}

ConnectionLimiter::ConnectionLimiter(std::size_t perClient, std::size_t total, Gauge &open)
    : m_perClient(perClient), m_total(total), m_open(open)
{
}

std::variant<ConnectionLimiter::Ticket, ConnectionLimiter::Refusal>
ConnectionLimiter::admit(const std::string &address)
{
    const std::lock_guard lock(m_mutex);
    if (m_count >= m_total)
        return Refusal::TotalLimit;
    auto &forClient = m_byAddress[address];
    if (forClient >= m_perClient) {
        if (forClient == 0)
            m_byAddress.erase(address);
        return Refusal::PerClientLimit;
    }
    ++forClient;
    ++m_count;
    m_open.add(1);
    return Ticket(this, address);
}

void ConnectionLimiter::release(const std::string &address)
{
    const std::lock_guard lock(m_mutex);
    // Every ticket was counted under its address by admit(), so the entry exists.
    if (const auto entry = m_byAddress.find(address); entry != m_byAddress.end() && --entry->second == 0)
        m_byAddress.erase(entry);
    --m_count;
    m_open.add(-1);
}

} // namespace sigess::net
