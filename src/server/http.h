// The HTTP message types every part of the server speaks (Boost.Beast, HTTP/1.1).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

namespace serialtrack::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Takes over a connection whose request a handler accepted as a protocol upgrade
// (WebSocket, RFC 6455): the socket, and the request to complete the handshake with.
using Upgrade = std::function<void(boost::asio::ip::tcp::socket socket, Request request)>;

}  // namespace serialtrack::server
