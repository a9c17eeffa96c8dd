// Text helpers shared by ingest and the report writers: UTF-8 checking and
// escaping for HTML and CSV.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

bool IsValidUtf8(std::string_view text);
// Replaces each invalid UTF-8 sequence with U+FFFD, so stored text is
// always valid (JSON and HTML writers rely on it).
std::string SanitizeUtf8(std::string_view text);

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
