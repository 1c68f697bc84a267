// The two transports a connection can run over, and the few things that differ between
// them. Internal to net/.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <type_traits>

namespace sigess::net {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <typename Stream>
constexpr bool isTls = std::is_same_v<Stream, TlsStream>;

} // namespace sigess::net
