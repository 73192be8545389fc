// Which database a command works on (--db, else $SERIALTRACK_DB, else ./serialtrack.db),
// and opening the store and the services' tables on it; a failure is printed to stderr
// and gives nullptr.
#pragma once

#include <memory>
#include <string>

#include "store/audits.h"
#include "store/alert_book.h"
#include "store/recalls.h"
#include "store/stock.h"
#include "store/store.h"

namespace serialtrack::cli {

// The database path for a command's --db value ("" when not given).
std::string database_path(const std::string& db_flag);

std::unique_ptr<store::Store> open_event_store(const std::string& path);
std::unique_ptr<store::Recalls> open_recalls(const std::string& path);
std::unique_ptr<store::StockCounts> open_stock(const std::string& path);
std::unique_ptr<store::Audits> open_audits(const std::string& path);
std::unique_ptr<store::AlertBook> open_alert_book(const std::string& path);

}  // namespace serialtrack::cli
