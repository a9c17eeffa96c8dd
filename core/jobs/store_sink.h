// The RecordSink that writes what a plugin emits into the store (entities at
// once, observations through the run's batch), and keeps the run's account of
// it (counts, rejected rows) for the reports.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "jobs/job_file.h"
#include "jobs/row_account.h"
#include "plugin_host/source_session.h"
#include "reports/report_model.h"
#include "store/observation_batch.h"
#include "store/store.h"

namespace vigil::jobs {

// Rejected rows kept in memory for the reports; all are in the store.
inline constexpr std::size_t kRejectionsInReport = 100000;

// Records a rejected row in the store and the run's account; fails when the
// source's on_reject says so.
Status RecordRejection(store::Store& store, std::int64_t run_id, const SourceSpec& source,
                       const reports::RejectedRow& row, std::vector<reports::RejectedRow>& rejections,
                       std::uint64_t& rejection_count);

class StoreSink : public plugin_host::RecordSink {
 public:
  // Rejected rows' file paths are shown relative to `job_folder`, so
  // reports do not depend on where the job's folder happens to be.
  // Entity ids by "kind\0key", shared by a run's sinks so that a source
  // keyed by another's entities looks each up once (clear it after a rollback).
  using EntityIds = std::unordered_map<std::string, std::int64_t>;
  // Each kind's register in this run: the first source that emitted entities
  // of the kind, and the keys it emitted. A later source does not create an
  // entity of that kind the register lacks (a mistyped URN in a spreadsheet
  // would be a school that does not exist): its values count as lost, as
  // any source's values for an unknown entity do. Nor does it rename one.
  struct Register {
    std::string source;
    std::unordered_set<std::string> keys;
  };
  using Registers = std::unordered_map<std::string, Register>;

  // `on_batch_full` is called when the batch reaches its limit, to write it out.
  StoreSink(store::Store& store, store::ObservationBatch& batch, EntityIds& entity_ids,
            std::function<Status()> on_batch_full,
            std::int64_t run_id, const SourceSpec& source, std::filesystem::path job_folder,
            std::vector<reports::RejectedRow>& rejections, std::uint64_t& rejection_count,
            RowAccount& rows, const std::atomic<bool>* cancel);

  // The run's registers, shared by its sinks (none: every entity is created).
  void UseRegisters(Registers* registers) { registers_ = registers; }

  Status OnEntity(const plugin_host::EntityRecord& entity) override;
  Status OnObservation(const plugin_host::ObservationRecord& observation) override;
  Status OnRejection(const plugin_host::RejectionRecord& rejection) override;
  Status OnSkipped(std::string_view file, std::string_view reason, std::uint64_t count,
                   std::uint64_t first_line) override;
  void OnRowsRead(std::string_view file, std::uint64_t rows) override;
  void OnProgress(std::uint64_t done, std::uint64_t total) override;
  bool Cancelled() override;

  // Observations naming entities no source registered: none is stored, and
  // the run says so (Run::CheckLosses) rather than losing them unnoticed.
  std::uint64_t lost_values() const { return unknown_count_; }
  const std::string& lost_kind() const { return unknown_kind_; }
  // Up to five distinct keys of those entities, in the order met.
  const std::vector<std::string>& lost_examples() const { return unknown_examples_; }

  // The earliest and latest dates of the observations stored.
  const std::string& first_date() const { return first_date_; }
  const std::string& last_date() const { return last_date_; }

 private:
  Status Reject(const reports::RejectedRow& row);
  // Whether this source may use entity `key` of `kind`: always, unless an
  // earlier source registered the kind in this run without it.
  bool InRegister(std::string_view kind, std::string_view key) const;
  const std::string& ShownCached(std::string_view file);
  std::string Shown(std::string_view file) const;  // relative to the job's folder

  store::Store& store_;
  store::ObservationBatch& batch_;
  EntityIds& entity_ids_;
  std::string id_key_;  // scratch for lookups in entity_ids_
  std::function<Status()> on_batch_full_;
  std::int64_t run_id_;
  const SourceSpec& source_;
  std::filesystem::path job_folder_;
  std::vector<reports::RejectedRow>& rejections_;
  std::uint64_t& rejection_count_;
  RowAccount& rows_;
  const std::atomic<bool>* cancel_;
  Registers* registers_ = nullptr;
  std::string last_kind_, last_key_;
  std::int64_t last_id_ = 0;
  std::uint64_t unknown_count_ = 0;
  std::string first_date_, last_date_;
  std::string last_file_, last_file_shown_;
  std::string unknown_kind_;
  std::vector<std::string> unknown_examples_;
  std::chrono::steady_clock::time_point last_progress_ = std::chrono::steady_clock::now();
};

}  // namespace vigil::jobs
