// Text helpers shared by ingest, the rules and the writers: UTF-8 checking,
// escaping for HTML and CSV, and making untrusted text safe to print.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

bool IsValidUtf8(std::string_view text);
// The offset of the first byte that does not start a valid UTF-8 sequence,
// or std::string_view::npos when all of `text` is valid.
std::size_t FirstInvalidUtf8(std::string_view text);
// Replaces each invalid UTF-8 sequence with U+FFFD, so stored text is
// always valid (JSON and HTML writers rely on it).
std::string SanitizeUtf8(std::string_view text);

// Text from a rule or a plugin made fit to keep: valid UTF-8 (invalid bytes
// become U+FFFD), control characters replaced (tab, CR and LF by a space when
// `one_line`, else LF kept; the others by U+FFFD), and at most `max_bytes`
// long (cut at a character boundary, with "…" marking the cut).
std::string CleanText(std::string_view text, std::size_t max_bytes, bool one_line = true);

// Cuts `text` to at most `max_bytes` at a UTF-8 character boundary, adding
// "…" when it cut anything.
std::string Truncate(std::string_view text, std::size_t max_bytes);

// Text safe to print on a terminal, in a log line or an e-mail: control
// characters (C0, DEL, C1), and the bidirectional overrides that can make a
// line read differently from what it holds, are shown as \xNN or \u{NNNN};
// invalid UTF-8 becomes U+FFFD. Line feeds stay when `keep_newlines`.
std::string Printable(std::string_view text, bool keep_newlines = false);

// One log line from a multi-line message: each line break (and the
// indentation after it) becomes " | ", then Printable().
std::string OneLine(std::string_view text);

// A name as a person searching for it would compare it: letters in small
// case (ASCII, Latin-1, Greek, Cyrillic), curly and straight quotes and
// apostrophes alike (’ ‘ ´ ` are '), dashes and hyphens alike (– — are -),
// runs of spaces (no-break ones too) as one, ends trimmed. "St Bede’s" and
// "st  bede's" fold to the same text.
std::string FoldForSearch(std::string_view text);

// Escapes & < > " ' for use in HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// One RFC 4180 field: quoted when needed, and a value starting with = + - @
// (or a tab/CR) is prefixed with ' so spreadsheets show it as text instead
// of running it as a formula (=HYPERLINK(...) attacks). Plain numbers such
// as -3.5 are left alone.
std::string CsvField(std::string_view text);

// An entity kind as plural words: "school" -> "schools", "local_authority" ->
// "local authorities", "kpi" -> "kpis".
std::string KindPlural(std::string_view kind);

// "0.25" style: shortest text that round-trips, no trailing zeros.
std::string FormatNumber(double value);

// For readers: "215,287"; "-125,400.5". A text that is not a plain number
// (a date, a URN shown as text, "12%") comes back unchanged.
std::string GroupThousands(std::string_view number);
// A count with thousands separators: 215287 -> "215,287".
std::string FormatCount(std::size_t count);

}  // namespace vigil
