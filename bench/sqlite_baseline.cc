#include "sqlite_baseline.h"

#include <chrono>

#include "store/store.h"

namespace vigil::bench {

Result<std::vector<Row>> ReadObservations(const std::filesystem::path& path, bool sorted) {
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(path.string()));
  VIGIL_ASSIGN_OR_RETURN(
      store::Statement read,
      store.db().Prepare(std::string("SELECT entity_id, measure_id, source_id, run_id, as_of, number, text "
                                     "FROM observations ORDER BY ") +
                         (sorted ? "entity_id, measure_id, as_of, source_id"
                                 : "source_id, as_of, entity_id, measure_id")));
  std::vector<Row> rows;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, read.Step());
    if (!more) break;
    Row r{read.Int(0), read.Int(1), read.Int(2), read.Int(3), std::string(read.Text(4)), std::nullopt, std::nullopt};
    if (!read.IsNull(5)) r.number = read.Double(5);
    if (!read.IsNull(6)) r.text = std::string(read.Text(6));
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<double> InsertMinimalLoop(const std::vector<Row>& rows, const std::filesystem::path& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  // Store::Open creates the same schema with the same pragmas (WAL,
  // synchronous=NORMAL); everything after this line is the minimal loop.
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(path.string()));
  store::Database& db = store.db();
  auto start = std::chrono::steady_clock::now();
  VIGIL_RETURN_IF_ERROR(db.Exec("BEGIN"));
  VIGIL_ASSIGN_OR_RETURN(store::Statement insert,
                         db.Prepare("INSERT INTO observations(entity_id, measure_id, as_of, source_id, number, "
                                    "text, run_id) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  for (const Row& r : rows) {
    insert.Reset();
    insert.Bind(1, r.entity).Bind(2, r.measure).Bind(3, std::string_view(r.as_of)).Bind(4, r.source);
    insert.Bind(5, r.number);
    if (r.text) insert.Bind(6, std::string_view(*r.text)); else insert.BindNull(6);
    insert.Bind(7, r.run);
    VIGIL_RETURN_IF_ERROR(insert.Run());
  }
  VIGIL_RETURN_IF_ERROR(db.Exec("COMMIT"));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace vigil::bench
