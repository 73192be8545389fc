// A client connection the server hands over to another protocol (WebSocket, RFC 6455)
// after a handler answered 101: the TCP stream as it is, or the TLS stream over it once
// its handshake is done. Whoever takes it owns it.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <variant>

namespace serialtrack::server {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

struct Connection {
  std::variant<PlainStream, TlsStream> stream;
};

}  // namespace serialtrack::server
