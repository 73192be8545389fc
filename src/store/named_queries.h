// Named queries (EPCIS 2.0 §12.6, the REST binding's /queries resource): a query
// definition — its EPCIS query parameters, as name/value text pairs exactly as given
// (trace::parse_query reads them) — stored under a unique name, and the webhook
// subscriptions to it, each with its owner. Kept in the store's file in their own tables
// (named_queries, named_query_parameters, query_subscriptions; schema version in
// named_query_meta), on their own connection.
//
// Thread-safety: a NamedQueries is safe for concurrent use from many threads without
// external synchronisation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

struct NamedQuery {
  std::string name;
  std::vector<std::pair<std::string, std::string>> parameters;  // in the order given
  int64_t created = 0;                                          // unix millis
  // The party (GLN) whose key created the query; "" for queries stored before owners
  // were recorded (schema version 2) or made by a caller without a party.
  std::string owner;
};

// Who subscribed: the API key's id, role name and party, as the key said when the
// subscription was made (pushes are restricted to what that party may see).
struct Subscriber {
  std::string key_id;
  std::string role = "admin";  // subscriptions stored before version 2 were the operator's
  std::string party;
};

// A webhook subscription to a named query: matching events are POSTed to dest.
struct QuerySubscription {
  std::string id;  // subscriptionID
  std::string query_name;
  std::string dest;             // the receiver's URL
  std::string signature_token;  // the HMAC key the receiver checks signatures with
  int64_t created = 0;          // unix millis
  Subscriber subscriber;
};

class NamedQueries {
 public:
  virtual ~NamedQueries() = default;
  // Stores a new named query. Returns false (storing nothing) when the name is taken.
  virtual Result<bool> create(const NamedQuery& query) = 0;
  // The query with this name; nullopt when none.
  virtual Result<std::optional<NamedQuery>> query(const std::string& name) = 0;
  // All named queries, by name.
  virtual Result<std::vector<NamedQuery>> queries() = 0;
  // Deletes the query and its subscriptions. Returns false when there was none.
  virtual Result<bool> remove(const std::string& name) = 0;

  // Stores a subscription (to an existing query). Returns false when the query is gone.
  virtual Result<bool> subscribe(const QuerySubscription& subscription) = 0;
  // The subscriptions to a query (all queries when empty), oldest first.
  virtual Result<std::vector<QuerySubscription>> subscriptions(const std::string& query_name) = 0;
  // Deletes a subscription. Returns false when there was none.
  virtual Result<bool> unsubscribe(const std::string& query_name, const std::string& id) = 0;
};

// Opens (creating, or migrating to the current schema) the named query tables in the
// SQLite database at path. Error kCorrupt: a schema newer than this program's.
Result<std::unique_ptr<NamedQueries>> open_sqlite_named_queries(const std::string& path);

}  // namespace serialtrack::store
