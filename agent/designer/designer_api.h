// The designer's HTTP API without the HTTP: each request (method, path, query, body) becomes a
// reply. Works on one data folder: its templates/ and forms/, the fonts, the sample residents.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "designer/cell_finder.h"
#include "designer/sample_residents.h"
#include "fonts/font_set.h"

namespace kakanai::designer {

struct DesignerSettings {
  std::string dataDir;
  std::shared_ptr<fonts::FontSet> fonts;
  std::vector<SampleResident> residents;
  std::string date;  // application date of previews and checks
};

struct ApiReply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
};

class DesignerApi {
 public:
  explicit DesignerApi(DesignerSettings settings);
  // GET /api/state, /api/template?file=, /api/form?id=, /api/cell?template=&page=&x=&y= (mm);
  // POST /api/check, /api/preview, /api/save, /api/import.
  ApiReply handle(const std::string& method, const std::string& path, const std::map<std::string, std::string>& query,
                  const std::string& body);

 private:
  ApiReply state();
  ApiReply templateFile(const std::string& file);
  ApiReply form(const std::string& id);
  ApiReply cell(const std::map<std::string, std::string>& query);
  ApiReply check(const std::string& body);
  ApiReply preview(const std::string& body);
  ApiReply save(const std::string& body);
  ApiReply importPdf(const std::string& name, bool dropSignature, const std::string& body);
  std::string templatesDir() const;

  DesignerSettings settings_;
  std::mutex mutex_;  // the cache of ruled lines
  std::map<std::string, std::vector<RuledLines>> lines_;
};

}  // namespace kakanai::designer
