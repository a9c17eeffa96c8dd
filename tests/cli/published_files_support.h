// Helpers for the end-to-end tests on published file shapes: a job folder
// with a data/ folder and the default schools pack, the `vigil` binary run
// in it, and .xlsx workbooks written with libzip (as Excel lays them out:
// workbook, relationships, shared strings, styles, sheets).
#pragma once

#include <zip.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace vigil::published {

namespace fs = std::filesystem;

class JobFolder {
 public:
  JobFolder() { fs::create_directories(dir_.path() / "data"); }

  fs::path path() const { return dir_.path(); }
  fs::path Data(const std::string& name) const { return dir_.path() / "data" / name; }
  void WriteData(const std::string& name, const std::string& content) const {
    testing::WriteText(Data(name), content);
  }
  // A job with the schools pack, as of `as_of`, and these [[source]] tables.
  void WriteJob(const std::string& as_of, const std::string& sources) const {
    testing::WriteText(dir_.path() / "job.toml",
                       "name = \"published\"\nas_of = \"" + as_of +
                           "\"\nstore = \"out/vigil.sqlite\"\ndata_folders = [\"data\"]\n"
                           "[output]\nfolder = \"out/reports\"\nformats = [\"html\", \"json\", \"csv\", "
                           "\"markdown\"]\n[[rules]]\npack = \"" +
                           std::string(VIGIL_SOURCE_DIR) + "/rules/schools\"\n" + sources);
  }
  testing::CommandResult Vigil(const std::string& args) const {
    return testing::Run("cd '" + dir_.path().string() + "' && '" + VIGIL_BINARY + "' " + args);
  }
  fs::path Latest() const { return dir_.path() / "out" / "reports" / "latest"; }
  nlohmann::json Report() const { return nlohmann::json::parse(testing::ReadText(Latest() / "report.json")); }
  // The source's rows account of its one file in report.json.
  nlohmann::json Rows(const std::string& source, std::size_t file = 0) const {
    const nlohmann::json report = Report();  // a loop over a temporary's member would dangle
    for (const auto& s : report["sources"])
      if (s["name"] == source) return s["rows"][file];
    return nullptr;
  }
  // The outcome of `key` in the schools pack of report.json.
  nlohmann::json Entity(const std::string& key) const {
    const nlohmann::json report = Report();
    for (const auto& e : report["packs"][0]["entities"])
      if (e["key"] == key) return e;
    return nullptr;
  }
  static std::string Reason(const nlohmann::json& entity, const std::string& indicator) {
    for (const auto& i : entity["indicators"])
      if (i["id"] == indicator) return i["reason"];
    return "<not applied>";
  }

 private:
  testing::TempDir dir_;
};

inline bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The real 20-row GIAS extract of 29 October 2018 (Camden and City of London).
inline std::string Sample2018() {
  return testing::ReadText(fs::path(VIGIL_SOURCE_DIR) / "plugins/gias/tests/data/gias_edubasealldata20181029_20rows.csv");
}

// One cell of a sheet: text (a shared string), a number, or a number with a
// style (1: a date, 2: a percentage, as xl/styles.xml below numbers them).
struct Cell {
  std::string text;
  std::string number;  // set for numbers
  int style = 0;
  static Cell Text(std::string t) { return {std::move(t), "", 0}; }
  static Cell Number(std::string n, int style = 0) { return {"", std::move(n), style}; }
};
using SheetRows = std::map<int, std::vector<Cell>>;  // row number -> cells from column A

inline std::string ColumnName(std::size_t i) {
  std::string name;
  for (++i; i > 0; i = (i - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (i - 1) % 26));
  return name;
}

inline std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

// Writes an .xlsx with the named sheets, in order.
inline void WriteWorkbook(const fs::path& path, const std::vector<std::pair<std::string, SheetRows>>& sheets) {
  std::vector<std::string> shared;
  std::map<std::string, std::string> parts;
  std::string workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                         "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
  std::string rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
                     "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (std::size_t s = 0; s < sheets.size(); ++s) {
    const std::string id = "rId" + std::to_string(s + 1);
    workbook += "<sheet name=\"" + XmlEscape(sheets[s].first) + "\" sheetId=\"" + std::to_string(s + 1) +
                "\" r:id=\"" + id + "\"/>";
    rels += "<Relationship Id=\"" + id + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
            "relationships/worksheet\" Target=\"worksheets/sheet" + std::to_string(s + 1) + ".xml\"/>";
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "
                      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    for (const auto& [row, cells] : sheets[s].second) {
      xml += "<row r=\"" + std::to_string(row) + "\">";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const Cell& cell = cells[c];
        const std::string ref = ColumnName(c) + std::to_string(row);
        if (!cell.number.empty()) {
          xml += "<c r=\"" + ref + "\"" + (cell.style ? " s=\"" + std::to_string(cell.style) + "\"" : "") +
                 "><v>" + cell.number + "</v></c>";
        } else if (!cell.text.empty()) {
          shared.push_back(cell.text);
          xml += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(shared.size() - 1) + "</v></c>";
        }  // an empty cell is left out, as Excel does
      }
      xml += "</row>";
    }
    parts["xl/worksheets/sheet" + std::to_string(s + 1) + ".xml"] = xml + "</sheetData></worksheet>";
  }
  parts["xl/workbook.xml"] = workbook + "</sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>";
  std::string sst = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst "
                    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (const auto& t : shared) sst += "<si><t>" + XmlEscape(t) + "</t></si>";
  parts["xl/sharedStrings.xml"] = sst + "</sst>";
  parts["xl/styles.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<styleSheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"1\"><numFmt "
      "numFmtId=\"164\" formatCode=\"dd/mm/yyyy;@\"/></numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/>"
      "<xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"10\" applyNumberFormat=\"1\"/></cellXfs>"
      "</styleSheet>";
  parts["[Content_Types].xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr) << error;
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE), 0) << zip_strerror(zip);
  }
  ASSERT_EQ(zip_close(zip), 0);
}

}  // namespace vigil::published
