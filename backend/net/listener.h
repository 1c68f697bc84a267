// Accepts connections, admits them against the per-client and total limits, and starts
// one HttpSession per connection on its own strand. Internal to net/.
// Thread safety: run() once; close() from any thread.
#pragma once

#include "net/server_context.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace sigess::net {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(boost::asio::io_context &io, ServerContext &context);

    Status open(const boost::asio::ip::tcp::endpoint &endpoint);
    std::uint16_t port() const;
    void run();
    void close();

private:
    void accept();
    void onAccept(boost::beast::error_code error, boost::asio::ip::tcp::socket socket);
    void admit(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context &m_io;
    ServerContext &m_context;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry;  // after a failed accept (out of descriptors)
    std::uint16_t m_port = 0;
};

} // namespace sigess::net
