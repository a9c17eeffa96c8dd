#include "jobs/store_sink.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"
#include "base/text.h"

namespace vigil::jobs {

StoreSink::StoreSink(store::Store& store, store::ObservationBatch& batch, EntityIds& entity_ids,
                     std::function<Status()> on_batch_full,
                     std::int64_t run_id, const SourceSpec& source, std::filesystem::path job_folder, std::vector<reports::RejectedRow>& rejections, std::uint64_t& rejection_count,
                     RowAccount& rows, const std::atomic<bool>* cancel)
    : store_(store), batch_(batch), entity_ids_(entity_ids), on_batch_full_(std::move(on_batch_full)), run_id_(run_id), source_(source), job_folder_(std::move(job_folder)), rejections_(rejections),
      rejection_count_(rejection_count), rows_(rows), cancel_(cancel) {}

bool StoreSink::InRegister(std::string_view kind, std::string_view key) const {
  if (registers_ == nullptr) return true;
  auto it = registers_->find(std::string(kind));
  if (it == registers_->end() || it->second.source == source_.name) return true;
  return it->second.keys.count(std::string(key)) > 0;
}

Status StoreSink::OnEntity(const plugin_host::EntityRecord& entity) {
  store::Attributes attributes(entity.attributes.begin(), entity.attributes.end());
  std::string_view name = entity.name;
  if (registers_ != nullptr) {
    Register& reg = (*registers_)[std::string(entity.kind)];
    if (reg.source.empty()) reg.source = source_.name;
    if (reg.source == source_.name) {
      reg.keys.insert(std::string(entity.key));
    } else if (!InRegister(entity.kind, entity.key)) {
      // Not in the register: not created; its observations are lost values
      // (OnObservation), named in the run's warning or failure.
      last_kind_.clear();
      last_key_.clear();
      return Status::Ok();
    } else {
      name = {};  // the register's name stands
    }
  }
  VIGIL_ASSIGN_OR_RETURN(last_id_, store_.UpsertEntity(entity.kind, entity.key, name, attributes));
  id_key_.assign(entity.kind).append(1, '\0').append(entity.key);
  entity_ids_[id_key_] = last_id_;
  last_kind_ = entity.kind;
  last_key_ = entity.key;
  return Status::Ok();
}

Status StoreSink::OnObservation(const plugin_host::ObservationRecord& o) {
  // Plugins usually emit an entity and then its observations: remember the
  // last id instead of looking it up for every value.
  if (o.entity_kind != last_kind_ || o.entity_key != last_key_) {
    id_key_.assign(o.entity_kind).append(1, '\0').append(o.entity_key);
    std::optional<std::int64_t> id;
    if (!InRegister(o.entity_kind, o.entity_key)) {
      // an entity of a registered kind that this run's register lacks: lost, as unknown
    } else if (auto it = entity_ids_.find(id_key_); it != entity_ids_.end()) {
      id = it->second;
    } else {
      VIGIL_ASSIGN_OR_RETURN(id, store_.FindEntity(o.entity_kind, o.entity_key));
      if (id) entity_ids_.emplace(id_key_, *id);
    }
    if (!id) {
      ++unknown_count_;
      if (unknown_kind_.empty()) unknown_kind_ = o.entity_kind;
      if (unknown_examples_.size() < 5 &&
          std::find(unknown_examples_.begin(), unknown_examples_.end(), o.entity_key) == unknown_examples_.end())
        unknown_examples_.push_back(std::string(o.entity_key));
      rows_.Dropped(ShownCached(o.file), o.line);
      return Status::Ok();
    }
    last_id_ = *id;
    last_kind_ = o.entity_kind;
    last_key_ = o.entity_key;
  }
  if (first_date_.empty() || o.as_of < first_date_) first_date_ = o.as_of;
  if (o.as_of > last_date_) last_date_ = o.as_of;
  // A second, different value for the same key is found when the batch is
  // written (see ObservationBatch) and reported then.
  VIGIL_RETURN_IF_ERROR(batch_.Add(last_id_, o.measure, o.as_of, source_.name, o.number, o.text,
                                   ShownCached(o.file), o.line));
  return batch_.full() && on_batch_full_ ? on_batch_full_() : Status::Ok();
}

// A source reads one file after another: convert each once.
const std::string& StoreSink::ShownCached(std::string_view file) {
  if (file != last_file_) {
    last_file_ = file;
    last_file_shown_ = Shown(file);
  }
  return last_file_shown_;
}

std::string StoreSink::Shown(std::string_view file) const {
  std::filesystem::path path(file);
  if (path.is_absolute()) {
    auto relative = path.lexically_relative(job_folder_);
    if (!relative.empty()) return relative.string();
  }
  return std::string(file);
}

Status RecordRejection(store::Store& store, std::int64_t run_id, const SourceSpec& source,
                       const reports::RejectedRow& row, std::vector<reports::RejectedRow>& rejections,
                       std::uint64_t& rejection_count) {
  ++rejection_count;
  VIGIL_RETURN_IF_ERROR(store.AddRejection(run_id, row.source, row.file, row.line, row.field,
                                           row.value, row.reason));
  if (rejections.size() < kRejectionsInReport) rejections.push_back(row);
  if (source.on_reject == OnReject::kFail)
    return Fail(ErrorCode::kDataRejected,
                fmt::format("source '{}' rejected a row and has on_reject = \"fail\": {}{}"
                            "field '{}' value '{}': {}",
                            source.name, reports::RowLocation(row.file, row.line),
                            row.file.empty() ? "" : ": ", row.field, row.value, row.reason));
  return Status::Ok();
}

Status StoreSink::Reject(const reports::RejectedRow& row) {
  rows_.Rejected(row.file, row.line);
  return RecordRejection(store_, run_id_, source_, row, rejections_, rejection_count_);
}

Status StoreSink::OnSkipped(std::string_view file, std::string_view reason, std::uint64_t count,
                            std::uint64_t first_line) {
  Logger("ingest")->debug("source={} file={} skipped={} reason=\"{}\" first_line={}", source_.name,
                          file, count, reason, first_line);
  rows_.Skipped(Shown(file), reason, count);
  return Status::Ok();
}

void StoreSink::OnRowsRead(std::string_view file, std::uint64_t rows) { rows_.Read(Shown(file), rows); }

Status StoreSink::OnRejection(const plugin_host::RejectionRecord& r) {
  Logger("ingest")->debug("source={} file={} line={} field=\"{}\" value=\"{}\" reason=\"{}\"",
                          source_.name, r.file, r.line, r.field, r.value, r.reason);
  return Reject({source_.name, Shown(r.file), r.line, std::string(r.field),
                 std::string(r.value), std::string(r.reason)});
}

void StoreSink::OnProgress(std::uint64_t done, std::uint64_t total) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < std::chrono::seconds(2) || total == 0) return;
  last_progress_ = now;
  Logger("ingest")->info("source={} progress={:.0f}%", source_.name,
                         100.0 * static_cast<double>(done) / static_cast<double>(total));
}

bool StoreSink::Cancelled() { return cancel_ != nullptr && cancel_->load(); }

}  // namespace vigil::jobs
