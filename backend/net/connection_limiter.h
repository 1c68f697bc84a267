// Admission of new connections: at most N open connections per client address and M in
// all, so one client (or a crowd) cannot exhaust the server's sockets. An admitted
// connection holds a Ticket for as long as it lives, through the upgrade from HTTP to
// WebSocket; the count drops when the ticket is destroyed.
// Thread safety: admit() and ticket destruction may happen on any thread.
#pragma once

#include "net/metrics.h"

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>

namespace sigess::net {

class ConnectionLimiter {
public:
    class Ticket {
    public:
        Ticket(Ticket &&other) noexcept;
        Ticket &operator=(Ticket &&) = delete;
        Ticket(const Ticket &) = delete;
        ~Ticket();

    private:
        friend class ConnectionLimiter;
        Ticket(ConnectionLimiter *limiter, std::string address);
        ConnectionLimiter *m_limiter;
        std::string m_address;
    };

    enum class Refusal { PerClientLimit, TotalLimit };

    ConnectionLimiter(std::size_t perClient, std::size_t total, Gauge &open);
    std::variant<Ticket, Refusal> admit(const std::string &address);

private:
    void release(const std::string &address);

    const std::size_t m_perClient;
    const std::size_t m_total;
    Gauge &m_open;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::size_t> m_byAddress;
    std::size_t m_count = 0;
};

} // namespace sigess::net
