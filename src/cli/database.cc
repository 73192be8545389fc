#include "cli/database.h"

#include <cstdlib>
#include <iostream>

namespace serialtrack::cli {
namespace {

template <typename T>
std::unique_ptr<T> opened(store::Result<std::unique_ptr<T>> r) {
  if (!r) {
    std::cerr << "serialtrack: " << r.error().message << "\n";
    return nullptr;
  }
  return std::move(*r);
}

}  // namespace

std::string database_path(const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  const char* env = std::getenv("SERIALTRACK_DB");
  return env != nullptr && *env != '\0' ? env : "serialtrack.db";
}

std::unique_ptr<store::Store> open_event_store(const std::string& path) {
  return opened(store::open_sqlite(path));
}

std::unique_ptr<store::Recalls> open_recalls(const std::string& path) {
  return opened(store::open_sqlite_recalls(path));
}

std::unique_ptr<store::StockCounts> open_stock(const std::string& path) {
  return opened(store::open_sqlite_stock(path));
}

std::unique_ptr<store::Audits> open_audits(const std::string& path) {
  return opened(store::open_sqlite_audits(path));
}

std::unique_ptr<store::AlertBook> open_alert_book(const std::string& path) {
  return opened(store::open_sqlite_alert_book(path));
}

}  // namespace serialtrack::cli
