// OpenStore: the backend a store URL names. It lives beside the PostgreSQL store because
// this library is the one that links both backends.
#include "actlog/store.h"
#include "store/postgres/pg_store.h"

namespace actlog {

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

StatusOr<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (IsPostgresUrl(options.url)) {
    StatusOr<std::unique_ptr<store::pg::PgStore>> store = store::pg::PgStore::Open(options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (options.url.empty() || options.url == "rocksdb:") return OpenRocksStore(options);
  return InvalidArgument("invalid_store_url",
                         "unsupported store \"" + options.url +
                             "\" (supported: postgres://…, postgresql://…, rocksdb:)");
}

}  // namespace actlog
