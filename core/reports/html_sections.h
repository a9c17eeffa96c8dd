// The sections of a report page, one file each: the headline figures, the
// lists of entities by category with their reasons, the changes since the
// previous run, the breakdowns and the data-quality section. Each appends
// its HTML to `out`; the page (html_writer.cc) puts them in order.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace vigil::reports::html {

// Where a page's links to entity pages start: "" on the main page, "../" on
// a per-value page. Empty when the pack has no entity pages.
std::string EntityLink(const RunReport& report, const PackReport& pack, const std::string& key);

// Headline figures: how many were assessed, a card per category with the
// change since the previous run, the pack's summary figures, its heat map
// and the trend across periods.
void Headline(std::string& out, const RunReport& report, const PackReport& pack);

// The list of one category's entities: a row of facts and, under it, the
// reasons across the whole width, most serious first. The least serious
// category is folded away (and not printed) when it is long.
void CategoryList(std::string& out, const RunReport& report, const PackReport& pack, std::size_t rank);
// Whether CategoryList folds the list of the category at `rank`.
bool FoldsList(const PackReport& pack, std::size_t rank);

// The entities whose category changed since the previous run, and why.
void Changes(std::string& out, const RunReport& report, const PackReport& pack);

// The attributes the pack is broken down by that its entities have, in order.
std::vector<std::string> BreakdownAttributes(const PackReport& pack);
// Counts by one attribute against category, with a bar per row.
void Breakdown(std::string& out, const RunReport& report, const PackReport& pack, const std::string& attribute);

// The sources read, their files and dates, and the rejected rows.
void DataQuality(std::string& out, const RunReport& report);

}  // namespace vigil::reports::html
