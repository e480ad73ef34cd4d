#include "designer/sample_residents.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

namespace kakanai::designer {

namespace {

SampleResident make(const char* id, const char* note, const char* name, const char* address, const char* birthDate, Sex sex) {
  SampleResident r;
  r.id = id;
  r.note = note;
  r.person.name = SecretText(name);
  r.person.address = SecretText(address);
  r.person.birthDate = SecretText(birthDate);
  r.person.sex = sex;
  return r;
}

}  // namespace

std::vector<SampleResident> builtInSamples() {
  std::vector<SampleResident> out;
  out.push_back(make("longest-name", "長い氏名（全角20字）", "勅使河原　左衛門三郎之介　長谷川部", "東京都千代田区霞が関一丁目１番１号",
                     "1935-02-11", Sex::Male));
  out.push_back(make("longest-address", "長い住所",
                     "佐藤　花子",
                     "鹿児島県鹿児島郡十島村大字宝島字前籠一丁目二番地の三　宝島第一コーポラス東棟南側２０３号室（山田方）",
                     "1990-07-20", Sex::Female));
  out.push_back(make("latin-long", "外国人住民の長いローマ字氏名", "GONZALEZ RODRIGUEZ MARIA DE LOS ANGELES ALEJANDRA",
                     "神奈川県横浜市中区本町六丁目５０番地の１０", "1975-10-31", Sex::Female));
  return out;
}

Result<std::vector<SampleResident>> loadSampleResidents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::DefinitionInvalid, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<SampleResident> out;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    auto list = root->getArray("residents");
    if (!list) throw std::runtime_error("no residents");
    for (unsigned i = 0; i < list->size(); ++i) {
      auto o = list->getObject(i);
      if (!o) continue;
      SampleResident r;
      r.id = o->optValue<std::string>("id", "resident-" + std::to_string(i + 1));
      r.note = o->optValue<std::string>("note", "");
      r.person.name = SecretText(o->getValue<std::string>("name"));
      r.person.address = SecretText(o->optValue<std::string>("address", ""));
      r.person.birthDate = SecretText(o->getValue<std::string>("birthDate"));
      r.person.sex = parseSexName(o->optValue<std::string>("sex", "unspecified")).value_or(Sex::Unspecified);
      if (!isIsoDate(r.person.birthDate.view())) continue;  // a case about malformed card data, not a sample
      out.push_back(std::move(r));
    }
  } catch (...) {
    return Error::of(ErrorCode::DefinitionInvalid, path + ": not {residents: [{id, name, address, birthDate, sex}]}");
  }
  return out;
}

}  // namespace kakanai::designer
