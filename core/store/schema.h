// The store's schema and its migrations. PRAGMA user_version holds the
// schema version; Migrate() brings an older file up to date in one
// transaction and refuses a file written by a newer Vigil.
#pragma once

#include "base/status.h"
#include "store/sqlite.h"

namespace vigil::store {

inline constexpr int kSchemaVersion = 7;

Status Migrate(Database& db, const std::string& path);

}  // namespace vigil::store
