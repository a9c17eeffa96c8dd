// A run's last words: when something must end the process at once (the
// rules' watchdog, a second SIGTERM, an uncaught exception), it writes why to
// a file beside the store first, so that the next start records the stopped
// run as failed with that reason instead of it vanishing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace vigil {

// From now on WriteLastWords() writes to `file`: the JSON object `context`
// (e.g. {"job": …, "as_of": …}) with a "reason" added.
void SetLastWordsFile(const std::filesystem::path& file, std::string context);
// No file any more (the run ended and recorded itself).
void ClearLastWordsFile();
// Writes the reason, if a file is set. Safe to call from any thread, once
// the process is about to end.
void WriteLastWords(std::string_view reason);

}  // namespace vigil
