// The HTTP message types every part of the server speaks (Boost.Beast, HTTP/1.1).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace serialtrack::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace serialtrack::server
