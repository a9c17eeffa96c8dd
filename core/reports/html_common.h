// What every HTML page of a report shares: escaping, the page's head and
// foot (inline CSS and the small sorting/filtering script), category pills,
// numbers and dates for readers. Internal to the HTML writers.
#pragma once

#include <string>
#include <string_view>

#include "reports/report_model.h"

namespace vigil::reports::html {

// Escapes text for HTML (every value a page shows goes through it).
std::string E(std::string_view text);
// Escapes `text` and keeps each ISO date in it ("2023-11-30") on one line.
std::string Text(std::string_view text);
// Whether `text` is a plain number ("-12.5", "215287").
bool IsNumber(std::string_view text);
// A column value for display: a plain number gets thousands separators
// when `number` is set; dates do not wrap; everything escaped.
std::string CellValue(std::string_view value, bool number);

// The class of a key's cell: short keys (a URN) stay on one line, long ones
// ("primary-attendance/R03") may break anywhere rather than widen the table.
const char* KeyClass(std::string_view key);
// A key escaped, with break opportunities after '/', '-' and '_'
// ("family-of-schools/R07" wraps between its parts, not inside them).
std::string Key(std::string_view key);

// The colour of the category at `rank` (0 = most serious) of `count`; each
// has at least 4.5:1 contrast with white text (WCAG 2.1 AA).
const char* CategoryColour(std::size_t rank, std::size_t count);
// The category as a coloured label with its name in text.
std::string Pill(const PackReport& pack, const std::string& id);
// "Serious", "Concern", "Watch", "None": a level in text, coloured.
std::string LevelLabel(const std::string& level);

// An override that lapsed before the run's date: said, so nobody thinks it still holds.
std::string LapsedOverride(const rules::Override& lapsed);

// "schools" -> "Schools".
std::string Capitalised(std::string text);
// The id of a section of a pack on a page: "schools-intensive"; the pack's
// own with an empty `section`: "schools".
std::string SectionId(const PackReport& pack, const std::string& section);

// Starts a page: doctype, lang, title, the style, and the header band with
// `heading` and `subtitle` (already HTML) and an optional back link.
void PageStart(std::string& out, const std::string& title, const std::string& heading,
               const std::string& subtitle, const std::string& back_link = {});
// Ends a page: the footer (rules' hashes, Vigil's version, run time) and the script.
void PageEnd(std::string& out, const RunReport& report);

}  // namespace vigil::reports::html
