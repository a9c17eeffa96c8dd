// A small stand-in for libFuzzer, so every fuzz target also builds with g++
// and runs under ctest (and so under ASan+UBSan in build-asan):
//
//   vigil_fuzz_<target> [options] PATH...
//
// 1. Replays every file given, and every file in every folder given (sorted,
//    so the order is fixed): the checked-in seed corpus and the regression
//    inputs of crashes found earlier.
// 2. Runs a deterministic mutation loop: a fixed-seed PRNG picks a corpus
//    input (or a recent mutant), applies 1-5 mutations (bit flips, byte
//    edits, insertions, deletions, block copies, dictionary tokens,
//    crossovers) and calls the target. The loop stops after --iterations
//    inputs or --seconds, whichever comes first. For a given seed input N is
//    always the same, so a failure reproduces.
//
// Options (libFuzzer-like spelling):
//   -seed=N           PRNG seed (default 1)
//   -runs=N           mutated inputs to run (default 2000; 0 = replay only)
//   -max_total_time=S stop mutating after S seconds (default 5)
//   -max_len=N        longest mutant in bytes (default 4096)
//   -dict=FILE        libFuzzer dictionary (lines like  name="text\x0a")
//   -timeout=S        one input running longer than this is a hang (default 20)
//   -artifact_prefix=P  where a crashing input is saved (default "./"):
//                     P + "crash-<target>-<hash>"
//
// A crash (a signal, abort() from a FUZZ_CHECK, or a sanitizer report)
// first saves the input that caused it, then dies as it would have; the
// file can be replayed with `vigil_fuzz_<target> FILE` or libFuzzer.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_FUZZ_ASAN 1
#endif
#if defined(VIGIL_FUZZ_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Bytes = std::string;

// --- Saving the input that crashed -------------------------------------------
// Set before each call to the target; read by the handlers below, which use
// only async-signal-safe calls.
const char* g_input = nullptr;
std::size_t g_input_size = 0;
char g_artifact[4096] = "";

void SaveCrashingInput() {
  if (g_input == nullptr || g_artifact[0] == '\0') return;
  int fd = ::open(g_artifact, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < g_input_size) {
    ssize_t n = ::write(fd, g_input + done, g_input_size - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const char message[] = "\n==fuzz_driver== the crashing input was saved to ";
  (void)!::write(2, message, sizeof message - 1);
  (void)!::write(2, g_artifact, std::strlen(g_artifact));
  (void)!::write(2, "\n", 1);
  g_input = nullptr;  // once
}

void OnFatalSignal(int sig) {
  SaveCrashingInput();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void OnTimeout(int) {
  const char message[] = "\n==fuzz_driver== an input ran longer than -timeout (a hang)\n";
  (void)!::write(2, message, sizeof message - 1);
  SaveCrashingInput();
  ::_exit(70);
}

// --- Deterministic randomness (no std distributions: their output differs
// between standard libraries, and the sequence must not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n); n > 0.
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  bool OneIn(std::size_t n) { return Below(n) == 0; }

 private:
  std::uint64_t state_;
};

// Bytes that matter to the parsers under test.
const char kInteresting[] = {'\0', '\n', '\r', '"', ',', ';', '\t', '=', '[', ']', '{', '}',
                             '\'', '\\', '-', '.', '/', ':', '%', '#', ' ', '0', '9', 'x',
                             '\x80', '\x92', '\xA0', '\xC3', '\xE2', '\xEF', '\xBB', '\xBF', '\xFF'};

class Mutator {
 public:
  Mutator(std::uint64_t seed, std::size_t max_len, const std::vector<Bytes>& corpus,
          const std::vector<Bytes>& dictionary)
      : rng_(seed), max_len_(max_len), corpus_(corpus), dictionary_(dictionary) {}

  Bytes Next() {
    Bytes input;
    if (!recent_.empty() && rng_.OneIn(3))
      input = recent_[rng_.Below(recent_.size())];
    else if (!corpus_.empty())
      input = corpus_[rng_.Below(corpus_.size())];
    const std::size_t count = 1 + rng_.Below(5);
    for (std::size_t i = 0; i < count; ++i) Mutate(input);
    if (input.size() > max_len_) input.resize(max_len_);
    // Keep a few mutants to build on, so mutations accumulate.
    if (recent_.size() < 32)
      recent_.push_back(input);
    else
      recent_[rng_.Below(recent_.size())] = input;
    return input;
  }

 private:
  char RandomByte() {
    return rng_.OneIn(2) ? kInteresting[rng_.Below(sizeof kInteresting)]
                         : static_cast<char>(rng_.Below(256));
  }

  const Bytes& Token() {
    static const Bytes kNone;
    if (!dictionary_.empty() && !rng_.OneIn(4)) return dictionary_[rng_.Below(dictionary_.size())];
    if (!corpus_.empty()) {
      // A slice of a corpus input.
      const Bytes& from = corpus_[rng_.Below(corpus_.size())];
      if (!from.empty()) {
        std::size_t start = rng_.Below(from.size());
        scratch_ = from.substr(start, 1 + rng_.Below(std::min<std::size_t>(64, from.size() - start)));
        return scratch_;
      }
    }
    return kNone;
  }

  void Mutate(Bytes& s) {
    const std::size_t pos = s.empty() ? 0 : rng_.Below(s.size() + 1);
    switch (rng_.Below(10)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng_.Below(s.size())] ^= static_cast<char>(1u << rng_.Below(8));
        break;
      case 1:  // change a byte
        if (!s.empty()) s[rng_.Below(s.size())] = RandomByte();
        break;
      case 2:  // insert bytes
        s.insert(pos, 1 + rng_.Below(4), RandomByte());
        break;
      case 3: {  // erase a range
        if (s.empty()) break;
        std::size_t at = rng_.Below(s.size());
        s.erase(at, 1 + rng_.Below(std::min<std::size_t>(16, s.size() - at)));
        break;
      }
      case 4: {  // copy a block of the input elsewhere (repeats a row, a field)
        if (s.empty()) break;
        std::size_t from = rng_.Below(s.size());
        std::size_t length = 1 + rng_.Below(std::min<std::size_t>(128, s.size() - from));
        s.insert(pos, s.substr(from, length));
        break;
      }
      case 5:
      case 6:  // insert a dictionary token or a slice of another input
        s.insert(pos, Token());
        break;
      case 7: {  // overwrite with a token
        const Bytes& t = Token();
        if (pos + t.size() <= s.size()) s.replace(pos, t.size(), t);
        else s.insert(pos, t);
        break;
      }
      case 8: {  // crossover: our head, another input's tail
        if (corpus_.empty()) break;
        const Bytes& other = corpus_[rng_.Below(corpus_.size())];
        s = s.substr(0, pos) + other.substr(other.empty() ? 0 : rng_.Below(other.size()));
        break;
      }
      case 9:  // truncate
        s.resize(pos);
        break;
    }
  }

  Rng rng_;
  std::size_t max_len_;
  const std::vector<Bytes>& corpus_;
  const std::vector<Bytes>& dictionary_;
  std::vector<Bytes> recent_;
  Bytes scratch_;
};

bool ReadFile(const fs::path& path, Bytes& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libFuzzer's dictionary format: one "text" per line, optionally named
// (name="text"), with \\, \" and \xNN escapes; '#' starts a comment.
bool ReadDictionary(const fs::path& path, std::vector<Bytes>& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::size_t open = line.find('"');
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || open == std::string::npos) continue;
    std::size_t close = line.rfind('"');
    if (close <= open) continue;
    Bytes token;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] == '\\' && i + 1 < close) {
        char next = line[i + 1];
        if (next == 'x' && i + 3 < close && HexValue(line[i + 2]) >= 0 && HexValue(line[i + 3]) >= 0) {
          token.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
          i += 3;
        } else {
          token.push_back(next);
          ++i;
        }
      } else {
        token.push_back(line[i]);
      }
    }
    if (!token.empty()) out.push_back(token);
  }
  return true;
}

std::uint64_t Fnv1a(const Bytes& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

void RunOne(const Bytes& input, const std::string& artifact_prefix, const std::string& target,
            unsigned timeout) {
  char name[64];
  std::snprintf(name, sizeof name, "crash-%s-%016llx", target.c_str(),
                static_cast<unsigned long long>(Fnv1a(input)));
  std::snprintf(g_artifact, sizeof g_artifact, "%s%s", artifact_prefix.c_str(), name);
  g_input = input.data();
  g_input_size = input.size();
  ::alarm(timeout);
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  ::alarm(0);
  g_input = nullptr;
}

bool ParseFlag(const std::string& arg, const char* name, std::string& value) {
  std::string prefix = std::string("-") + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  value = arg.substr(prefix.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  std::uint64_t runs = 2000;
  double max_seconds = 5;
  std::size_t max_len = 4096;
  unsigned timeout = 20;
  std::string artifact_prefix = "./";
  std::vector<Bytes> dictionary;
  std::vector<fs::path> inputs;
  std::string target = fs::path(argv[0]).filename().string();
  if (target.rfind("vigil_fuzz_", 0) == 0) target = target.substr(11);

  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (ParseFlag(arg, "seed", value)) seed = std::stoull(value);
    else if (ParseFlag(arg, "runs", value)) runs = std::stoull(value);
    else if (ParseFlag(arg, "max_total_time", value)) max_seconds = std::stod(value);
    else if (ParseFlag(arg, "max_len", value)) max_len = std::stoull(value);
    else if (ParseFlag(arg, "timeout", value)) timeout = static_cast<unsigned>(std::stoul(value));
    else if (ParseFlag(arg, "artifact_prefix", value)) artifact_prefix = value;
    else if (ParseFlag(arg, "dict", value)) {
      if (!ReadDictionary(value, dictionary)) {
        std::fprintf(stderr, "cannot read dictionary %s\n", value.c_str());
        return 2;
      }
    } else if (arg == "-h" || arg == "-help" || arg == "--help") {
      std::printf("usage: %s [-seed=N] [-runs=N] [-max_total_time=S] [-max_len=N] [-dict=FILE] "
                  "[-timeout=S] [-artifact_prefix=P] FILE_OR_FOLDER...\n", argv[0]);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "unknown option %s (try -help)\n", arg.c_str());
      return 2;
    } else {
      inputs.emplace_back(arg);
    }
  }

  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, OnFatalSignal);
  ::signal(SIGALRM, OnTimeout);
#if defined(VIGIL_FUZZ_ASAN)
  __sanitizer_set_death_callback(SaveCrashingInput);
#endif

  // Corpus files, in a fixed order.
  std::vector<fs::path> files;
  for (const auto& path : inputs) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(path))
        if (entry.is_regular_file()) found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "no such file or folder: %s\n", path.c_str());
      return 2;
    }
  }
  std::vector<Bytes> corpus;
  for (const auto& file : files) {
    Bytes data;
    if (!ReadFile(file, data)) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 2;
    }
    RunOne(data, artifact_prefix, target, timeout);
    corpus.push_back(std::move(data));
  }
  std::printf("%s: replayed %zu inputs\n", target.c_str(), corpus.size());
  std::fflush(stdout);

  const auto start = std::chrono::steady_clock::now();
  Mutator mutator(seed, max_len, corpus, dictionary);
  std::uint64_t done = 0;
  for (; done < runs; ++done) {
    if ((done & 15) == 0) {
      std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      if (elapsed.count() >= max_seconds) break;
    }
    RunOne(mutator.Next(), artifact_prefix, target, timeout);
  }
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("%s: ran %llu mutated inputs (seed %llu) in %.1f s, no failure\n", target.c_str(),
              static_cast<unsigned long long>(done), static_cast<unsigned long long>(seed),
              elapsed.count());
  return 0;
}
