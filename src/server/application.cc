#include "server/application.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "server/access.h"
#include "server/alert_routes.h"
#include "server/epcis_http.h"
#include "server/epcis_routes.h"
#include "server/inventory_routes.h"
#include "server/recall_routes.h"
#include "server/serial_routes.h"
#include "server/service_routes.h"
#include "server/verification_routes.h"
#include "server/warranty_routes.h"

namespace serialtrack::server {

serialtrack::Result<std::unique_ptr<Application>, std::string> Application::open(
    const ServeConfig& config) {
  auto listen = parse_listen(config.listen);
  if (!listen) return unexpected("listen: " + listen.error());
  std::unique_ptr<Application> app(new Application());
  app->config_ = config;
  auto events = store::open_sqlite(config.db);
  if (!events) return unexpected(events.error().message);
  app->events_ = std::move(*events);
  auto jobs = store::open_sqlite_capture_jobs(config.db);
  if (!jobs) return unexpected(jobs.error().message);
  app->jobs_ = std::move(*jobs);
  auto queries = store::open_sqlite_named_queries(config.db);
  if (!queries) return unexpected(queries.error().message);
  app->queries_ = std::move(*queries);
  auto vocabulary = store::open_sqlite_event_vocabulary(config.db);
  if (!vocabulary) return unexpected(vocabulary.error().message);
  app->vocabulary_ = std::move(*vocabulary);
  auto keys = store::open_sqlite_api_keys(config.db);
  if (!keys) return unexpected(keys.error().message);
  app->keys_ = std::move(*keys);
  if (!config.open) {
    auto existing = app->keys_->list();
    if (!existing) return unexpected(existing.error().message);
    if (existing->empty())
      return unexpected(
          "no API key exists in " + config.db +
          ": create an admin key first (serialtrack keys create --db " + config.db +
          " --role admin --party <GLN>), or serve with --open for local development (no "
          "access control)");
  }
  auto log = store::open_sqlite_verification_log(config.db);
  if (!log) return unexpected(log.error().message);
  app->verification_log_ = std::move(*log);
  app->limiter_ = std::make_unique<VerificationLimiter>(config.verification_limits);
  auto book = store::open_sqlite_alert_book(config.db);
  if (!book) return unexpected(book.error().message);
  app->alert_book_ = std::move(*book);
  app->detector_ = std::make_unique<trace::Detector>(*app->alert_book_);
  // The business records (issue 6), each on its own connection to the same file.
  auto warranty = store::open_sqlite_warranty(config.db);
  if (!warranty) return unexpected(warranty.error().message);
  app->warranty_ = std::move(*warranty);
  auto recalls = store::open_sqlite_recalls(config.db);
  if (!recalls) return unexpected(recalls.error().message);
  app->recalls_ = std::move(*recalls);
  auto stock = store::open_sqlite_stock(config.db);
  if (!stock) return unexpected(stock.error().message);
  app->stock_ = std::move(*stock);
  auto audits = store::open_sqlite_audits(config.db);
  if (!audits) return unexpected(audits.error().message);
  app->audits_ = std::move(*audits);

  EpcisLimits limits;
  limits.capture_events = config.capture_limit;
  limits.capture_bytes = config.capture_file_size_limit;
  limits.max_page = config.page_limit;
  EpcisStores stores{*app->events_, *app->jobs_, *app->queries_, *app->vocabulary_};
  app->subscriptions_ = std::make_unique<Subscriptions>(*app->events_, *app->queries_, *app->keys_);
  add_epcis_routes(app->router_, stores, app->metrics_, limits, app->subscriptions_.get(),
                   app->detector_.get());
  app->subscriptions_->add_routes(app->router_);
  add_verification_routes(app->router_, {*app->events_, *app->verification_log_, *app->limiter_,
                                         app->metrics_, *app->detector_});
  add_service_routes(app->router_, app->metrics_, *app->events_, app->alert_book_.get());
  add_alert_routes(app->router_, *app->alert_book_, limits.default_page, limits.max_page);
  add_warranty_routes(app->router_, {*app->events_, *app->warranty_});
  add_recall_routes(app->router_, {*app->events_, *app->recalls_, *app->warranty_});
  add_inventory_routes(app->router_, {*app->events_, *app->stock_, *app->audits_});
  auto ranges = store::open_sqlite_serial_ranges(config.db);
  if (!ranges) return unexpected(ranges.error().message);
  app->serial_ranges_ = std::move(*ranges);
  add_serial_routes(app->router_, {*app->serial_ranges_, *app->events_}, {config.allocation_limit});

  auto logger = spdlog::get("serialtrack.http");
  if (!logger) logger = spdlog::stderr_color_mt("serialtrack.http");
  logger->set_level(spdlog::level::from_str(config.log_level));
  app->dispatcher_ = std::make_unique<Dispatcher>(app->router_, app->metrics_, logger);
  app->dispatcher_->set_guard(access_guard(*app->keys_, config.open));
  if (config.open) logger->warn("serving with --open: no access control, every request is admin");
  // EPCIS 2.0 §12.2: versions and the capture limits, announced on every answer.
  app->dispatcher_->add_response_header("GS1-EPCIS-Version", kEpcisVersion);
  app->dispatcher_->add_response_header("GS1-CBV-Version", kCbvVersion);
  app->dispatcher_->add_response_header("GS1-EPCIS-Capture-Limit",
                                        std::to_string(config.capture_limit));
  app->dispatcher_->add_response_header("GS1-EPCIS-Capture-File-Size-Limit",
                                        std::to_string(config.capture_file_size_limit));

  ServerOptions options;
  options.address = listen->host;
  options.port = listen->port;
  options.threads =
      config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  options.write_threads = config.write_threads;
  options.body_limit = std::max(config.body_limit, config.capture_file_size_limit);
  options.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  options.tls_certificate_file = config.tls_cert;
  options.tls_private_key_file = config.tls_key;
  app->server_ = std::make_unique<Server>(options, *app->dispatcher_);
  // A stop (SIGTERM, or the destructor) says goodbye to each stream before the threads go.
  app->server_->on_stop([subscriptions = app->subscriptions_.get()](auto deadline) {
    subscriptions->close_streams(deadline);
  });
  return app;
}

Application::~Application() {
  // Graceful stop first (its hook closes the streams while the io threads still run);
  // the streams' sockets go before the io_context they belong to; the stores close last.
  if (server_) server_->stop();
  if (subscriptions_) subscriptions_->shutdown();
  subscriptions_.reset();
  server_.reset();
}

serialtrack::Result<void*, std::string> Application::start() {
  return server_->start();
}

std::string Application::url() const {
  std::string host = server_->address();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return (server_->tls() ? "https://" : "http://") + host + ":" + std::to_string(server_->port());
}

}  // namespace serialtrack::server
