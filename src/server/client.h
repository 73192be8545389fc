// A client of a running `serialtrack serve` (the GS1 EPCIS 2.0 REST binding and the
// verification routes) over HTTP/1.1, for programs that feed a server: the simulator
// posting a supply chain (`serialtrack simulate --post`), load drivers. HTTP lives in
// server/ (DESIGN.md), so the client does too; nothing in the server's request path
// uses it.
//
// One keep-alive connection (Boost.Beast), opened on first use and reopened when the
// server has closed it. Blocking calls; each request times out after
// ClientOptions::timeout.
//
// Thread-compatible: one Client per thread.
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace serialtrack::server {

// Why a request failed, in words for a person: the address, the route, and the
// server's answer (status, problem type and detail) when there was one.
struct ClientError {
  std::string message;
};

template <typename T>
using ClientResult = serialtrack::Result<T, ClientError>;

struct ClientOptions {
  std::string key;                             // API key sent as `Authorization: Bearer`; "": none
  std::chrono::milliseconds timeout{120'000};  // per request (a capture of 10,000 events is slow)
  // 429 answers waited out (Retry-After) before the request is given up as failed.
  int max_retries_after_429 = 100;
};

// One HTTP answer.
struct ClientAnswer {
  unsigned status = 0;
  std::string content_type, location, retry_after;
  std::string body;
};

// The state of a capture job (GET /capture/{captureID}).
struct CaptureJobResult {
  std::string id;
  bool running = false, success = false;
  int64_t events = 0, accepted = 0, duplicates = 0;
  struct EventError {
    int64_t index = 0;
    std::string event_id, message;
  };
  std::vector<EventError> errors;
};

class Client {
 public:
  // A client of the server at base_url ("http://host:port", optionally with a path
  // prefix). Error: not an http:// URL with a host. Nothing is connected yet.
  static ClientResult<std::unique_ptr<Client>> open(const std::string& base_url,
                                                    ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request (target: path and query, e.g. "/capture/abc") and returns the
  // answer whatever its status. A request on a kept-alive connection that the server
  // closed meanwhile is sent once more on a new one. Error: cannot connect, time out,
  // or the connection broke.
  ClientResult<ClientAnswer> request(const std::string& method, const std::string& target,
                                     const std::string& content_type = "",
                                     const std::string& body = "");

  // POST /capture of an EPCISDocument (JSON-LD text), then the job: from the 202 answer
  // when it is finished, else GET /capture/{captureID} until it is. Returns the finished
  // job (success false and errors per event when the server rejected events). Error:
  // any answer but 202 (its status and problem detail), or as request().
  ClientResult<CaptureJobResult> capture(const std::string& document_json);

  // GET /capture/{captureID}. Error: 404 or any answer but 200, or as request().
  ClientResult<CaptureJobResult> capture_job(const std::string& capture_id);

  // POST /verify of a batch of pack queries ({gtin, serial, ...} or {id}, ...): the
  // answers in order. A 429 (rate limit: nothing was verified) is waited out as its
  // Retry-After says, and the batch sent again in halves (the wait is for one more
  // verification, not for n). Error: any answer but 200 (a 400 names the element,
  // "[i]"), more than max_retries_after_429 waits for one scan, or as request().
  ClientResult<boost::json::array> verify(const boost::json::array& batch);

  // "http://host:port" as given to open().
  const std::string& base_url() const;

  struct Connection;  // internal

 private:
  Client() = default;
  ClientOptions options_;
  std::string base_url_, host_, port_, path_prefix_;
  std::unique_ptr<Connection> connection_;
};

// The words of an answer that is not what was expected: "POST /capture answered 400
// (epcisException:ValidationException): <detail>", for ClientError messages.
std::string describe_answer(const std::string& method, const std::string& target,
                            const ClientAnswer& answer);

}  // namespace serialtrack::server
