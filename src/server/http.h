// The HTTP message types every part of the server speaks (Boost.Beast, HTTP/1.1).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

namespace serialtrack::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A connection handed over on an upgrade: plain or TLS (server/connection.h).
struct Connection;

// Takes over a connection whose request a handler accepted as a protocol upgrade
// (WebSocket, RFC 6455): the connection (plain or TLS, its handshake done), and the
// request to complete the upgrade with.
using Upgrade = std::function<void(Connection connection, Request request)>;

}  // namespace serialtrack::server
