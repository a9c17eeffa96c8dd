#include "store/observation_batch.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "base/text.h"

namespace vigil::store {

std::uint32_t ObservationBatch::Interner::Id(std::string_view text) {
  if (has_last_ && texts_[last_] == text) return last_;
  has_last_ = true;
  if (auto it = ids_.find(text); it != ids_.end()) return last_ = it->second;
  auto id = static_cast<std::uint32_t>(texts_.size());
  texts_.emplace_back(text);
  ids_.emplace(texts_.back(), id);
  return last_ = id;
}

void ObservationBatch::Interner::Clear() {
  ids_.clear();
  texts_.clear();
  has_last_ = false;
}

Status ObservationBatch::Add(std::int64_t entity_id, std::string_view measure, std::string_view as_of,
                             std::string_view source, const std::optional<double>& number,
                             std::string_view text, std::string_view file, std::uint64_t line) {
  if (texts_.size() == 0) texts_.Id("");  // id 0: no text
  constexpr auto kMax32 = std::numeric_limits<std::uint32_t>::max();
  constexpr auto kMax16 = std::numeric_limits<std::uint16_t>::max();
  if (entity_id < 0 || static_cast<std::uint64_t>(entity_id) > kMax32 || rows_.size() >= kMax32)
    return Fail(ErrorCode::kInternal,
                fmt::format("store: a run can hold at most {} observations and entity ids up to {}", kMax32, kMax32));
  if (rows_.capacity() < max_rows_) rows_.reserve(max_rows_);  // no doubling and copying later
  Row row{};
  row.entity = static_cast<std::uint32_t>(entity_id);
  row.measure = measures_.Id(measure);
  row.date = dates_.Id(as_of);
  row.text = text.empty() ? 0 : texts_.Id(text);
  row.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(line, kMax32));
  row.seq = static_cast<std::uint32_t>(rows_.size());
  std::uint32_t source_id = sources_.Id(source), file_id = files_.Id(file);
  if (source_id > kMax16 || file_id > kMax16)
    return Fail(ErrorCode::kInternal, fmt::format("store: a run can read at most {} sources and files", kMax16));
  row.source = static_cast<std::uint16_t>(source_id);
  row.file = static_cast<std::uint16_t>(file_id);
  row.has_number = number.has_value();
  row.number = number.value_or(0.0);
  rows_.push_back(row);
  return Status::Ok();
}

void ObservationBatch::Truncate(std::size_t size) {
  if (size < rows_.size()) rows_.resize(size);
}

std::string ObservationBatch::Shown(const Row& row) const {
  return row.has_number ? FormatNumber(row.number) : texts_.Text(row.text);
}

Result<std::vector<BatchConflict>> ObservationBatch::WriteTo(
    Store& store, std::int64_t run_id, std::size_t from,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  from = std::min(from, rows_.size());
  const auto begin = rows_.begin() + static_cast<std::ptrdiff_t>(from);
  std::vector<std::pair<std::uint32_t, BatchConflict>> conflicts;  // read order, conflict
  // Put the store's ids and the dates' order into the rows, so that sorting
  // them gives the store's key order (entity, measure, date, source).
  std::vector<std::uint32_t> measure_ids(measures_.size()), date_rank(dates_.size());
  std::vector<std::uint16_t> source_ids(sources_.size());
  for (std::uint32_t i = 0; i < measures_.size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::int64_t id, store.InternMeasure(measures_.Text(i)));
    measure_ids[i] = static_cast<std::uint32_t>(id);
  }
  for (std::uint32_t i = 0; i < sources_.size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::int64_t id, store.InternSource(sources_.Text(i)));
    if (id > std::numeric_limits<std::uint16_t>::max())
      return Fail(ErrorCode::kInternal, "store: more sources than a run can write");
    source_ids[i] = static_cast<std::uint16_t>(id);
  }
  std::vector<std::uint32_t> by_date(dates_.size());
  std::iota(by_date.begin(), by_date.end(), 0u);
  std::sort(by_date.begin(), by_date.end(),
            [&](std::uint32_t a, std::uint32_t b) { return dates_.Text(a) < dates_.Text(b); });
  for (std::uint32_t rank = 0; rank < by_date.size(); ++rank) date_rank[by_date[rank]] = rank;
  for (auto it = begin; it != rows_.end(); ++it) {
    Row& r = *it;
    r.measure = measure_ids[r.measure];
    r.date = date_rank[r.date];
    r.source = source_ids[r.source];
  }
  std::vector<std::uint16_t> source_by_store_id;  // back to this batch's names
  for (std::uint32_t i = 0; i < source_ids.size(); ++i) {
    if (source_by_store_id.size() <= source_ids[i]) source_by_store_id.resize(source_ids[i] + 1u);
    source_by_store_id[source_ids[i]] = static_cast<std::uint16_t>(i);
  }
  auto key = [](const Row& r) { return std::tie(r.entity, r.measure, r.date, r.source); };
  std::sort(begin, rows_.end(), [&](const Row& a, const Row& b) {
    auto ka = key(a), kb = key(b);
    return ka != kb ? ka < kb : a.seq < b.seq;
  });

  VIGIL_ASSIGN_OR_RETURN(
      Statement insert,
      store.db().Prepare("INSERT INTO observations(entity_id, measure_id, as_of, source_id, number, "
                         "text, run_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                         "ON CONFLICT DO UPDATE SET number=excluded.number, text=excluded.text, "
                         "run_id=excluded.run_id "
                         "WHERE (number IS NOT excluded.number OR text IS NOT excluded.text) "
                         "AND run_id IS NOT excluded.run_id"));
  VIGIL_ASSIGN_OR_RETURN(Statement stored,
                         store.db().Prepare("SELECT number, coalesce(text, ''), run_id FROM observations "
                                            "WHERE entity_id=? AND measure_id=? AND as_of=? AND source_id=?"));
  std::vector<bool> written_before = written_sources_;
  const Row* first = nullptr;  // the first row of the current key
  std::size_t done = 0, total = rows_.size() - from;
  for (auto it = begin; it != rows_.end(); ++it) {
    const Row& r = *it;
    if (progress && ++done % (1u << 20) == 0) progress(done, total);
    if (first != nullptr && key(*first) == key(r)) {
      // The same key again in this run: the same value is harmless, a
      // different one is refused and reported.
      bool same = first->has_number == r.has_number && first->text == r.text &&
                  (!r.has_number || first->number == r.number);
      if (!same)
        conflicts.emplace_back(r.seq, BatchConflict{static_cast<std::int64_t>(r.entity),
                                                    store.MeasureNames()[r.measure],
                                                    dates_.Text(by_date[r.date]),
                                                    sources_.Text(source_by_store_id[r.source]),
                                                    files_.Text(r.file), r.line, Shown(r), Shown(*first)});
      continue;
    }
    first = &r;
    insert.Reset();
    insert.Bind(1, static_cast<std::int64_t>(r.entity)).Bind(2, static_cast<std::int64_t>(r.measure));
    insert.Bind(3, std::string_view(dates_.Text(by_date[r.date])));
    insert.Bind(4, static_cast<std::int64_t>(r.source));
    if (r.has_number) insert.Bind(5, r.number); else insert.BindNull(5);
    if (r.text == 0) insert.BindNull(6); else insert.Bind(6, std::string_view(texts_.Text(r.text)));
    insert.Bind(7, run_id);
    VIGIL_RETURN_IF_ERROR(insert.Run());
    if (written_sources_.size() <= r.source) written_sources_.resize(r.source + 1u);
    written_sources_[r.source] = true;
    // Nothing changed: the same value as stored, or a different one this run
    // already wrote from an earlier part of the batch (which stays).
    if (r.source >= written_before.size() || !written_before[r.source] ||
        sqlite3_changes(store.db().handle()) > 0)
      continue;
    stored.Reset();
    stored.Bind(1, static_cast<std::int64_t>(r.entity)).Bind(2, static_cast<std::int64_t>(r.measure));
    stored.Bind(3, std::string_view(dates_.Text(by_date[r.date]))).Bind(4, static_cast<std::int64_t>(r.source));
    VIGIL_ASSIGN_OR_RETURN(bool found, stored.Step());
    if (!found || stored.Int(2) != run_id) continue;
    bool same = stored.IsNull(0) ? !r.has_number : (r.has_number && stored.Double(0) == r.number);
    same = same && stored.Text(1) == (r.text == 0 ? std::string_view() : std::string_view(texts_.Text(r.text)));
    if (!same)
      conflicts.emplace_back(r.seq, BatchConflict{static_cast<std::int64_t>(r.entity),
                                                  store.MeasureNames()[r.measure],
                                                  dates_.Text(by_date[r.date]),
                                                  sources_.Text(source_by_store_id[r.source]), files_.Text(r.file),
                                                  r.line, Shown(r),
                                                  stored.IsNull(0) ? std::string(stored.Text(1))
                                                                   : FormatNumber(stored.Double(0))});
  }
  stored.Reset();
  std::sort(conflicts.begin(), conflicts.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<BatchConflict> in_read_order;
  for (auto& c : conflicts) in_read_order.push_back(std::move(c.second));
  rows_.erase(begin, rows_.end());
  if (rows_.empty()) {
    rows_.shrink_to_fit();
    for (Interner* i : {&measures_, &dates_, &sources_, &texts_, &files_}) i->Clear();
  }
  return in_read_order;
}

}  // namespace vigil::store
