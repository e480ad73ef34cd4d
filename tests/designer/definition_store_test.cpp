// Stable saving: the canonical text is a fixed point (load → save gives the same bytes), keeps the
// meaning of every shipped definition, and a save writes only a definition that passes every
// check, only inside the data folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "designer/definition_store.h"
#include "forms/form_definition.h"

namespace kakanai::designer {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = KAKANAI_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> shippedForms() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSource / "forms")) {
    if (e.path().extension() == ".json" && e.path().filename().string().find(".schema.") == std::string::npos) out.push_back(e.path());
  }
  return out;
}

TEST(DefinitionStore, CanonicalTextIsAFixedPointAndKeepsTheMeaning) {
  ASSERT_GE(shippedForms().size(), 5u);
  for (const auto& path : shippedForms()) {
    const std::string original = slurp(path);
    auto once = canonicalDefinition(original);
    ASSERT_TRUE(once) << path << ": " << once.error().diagnostic;
    auto twice = canonicalDefinition(*once);
    ASSERT_TRUE(twice);
    EXPECT_EQ(*once, *twice) << path;
    auto a = forms::parseFormDefinition(original, "a.json");
    auto b = forms::parseFormDefinition(*once, "a.json");
    ASSERT_TRUE(a && b) << path;
    EXPECT_EQ(a->id, b->id);
    EXPECT_EQ(a->paper, b->paper);
    ASSERT_EQ(a->inputs.size(), b->inputs.size());
    for (std::size_t i = 0; i < a->inputs.size(); ++i) EXPECT_EQ(a->inputs[i].options, b->inputs[i].options);
    ASSERT_EQ(a->fields.size(), b->fields.size());
    for (std::size_t i = 0; i < a->fields.size(); ++i) {
      const auto& x = a->fields[i];
      const auto& y = b->fields[i];
      EXPECT_EQ(x.name, y.name);
      EXPECT_EQ(x.source, y.source);
      EXPECT_DOUBLE_EQ(x.box.x, y.box.x);
      EXPECT_DOUBLE_EQ(x.box.height, y.box.height);
      EXPECT_DOUBLE_EQ(x.style.size, y.style.size);
      EXPECT_EQ(x.style.maxLines, y.style.maxLines);
      EXPECT_EQ(x.options.size(), y.options.size());
      EXPECT_EQ(x.optionFields, y.optionFields);
      EXPECT_EQ(x.groups, y.groups);
    }
  }
}

// A file as the designer saves it: loading and saving it again gives identical bytes.
TEST(DefinitionStore, SavedFileRoundTripsByteForByte) {
  const std::string saved = slurp(kSource / "tests" / "data" / "designer" / "juminhyo.saved.json");
  ASSERT_FALSE(saved.empty());
  auto again = canonicalDefinition(saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, saved);
  // One line per field: a change of one box changes one line.
  EXPECT_NE(saved.find("\n    {\"name\": \"address\", \"source\": \"person.address\", \"box\": [41, 43, 153, 18]"), std::string::npos);
}

TEST(DefinitionStore, KeyOrderAndNumbersAreCanonical) {
  auto c = canonicalDefinition(R"({"fields": [{"box": [1.50, 2, 3.125, 4e0], "source": "date", "name": "d"}], "template": "t.pdf",
    "title": "題\"名", "id": "x"})");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, "{\n  \"id\": \"x\",\n  \"title\": \"題\\\"名\",\n  \"template\": \"t.pdf\",\n  \"fields\": [\n"
                "    {\"name\": \"d\", \"source\": \"date\", \"box\": [1.5, 2, 3.125, 4]}\n  ]\n}\n");
  auto unknown = canonicalDefinition(R"({"id": "x", "fields": [{"name": "a", "sorce": "date"}]})");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().diagnostic.find("field a: unknown key 'sorce'"), std::string::npos);
  EXPECT_FALSE(canonicalDefinition("[1]"));
  EXPECT_FALSE(canonicalDefinition("{\"id\": "));
}

class SaveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("kakanai-designer-save-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "data");
    fs::create_directory_symlink(kSource / "templates", dir / "data" / "templates");
    auto loaded = fonts::FontSet::load((kSource / "fonts" / "manifest.json").string());
    ASSERT_TRUE(loaded);
    fontSet = *loaded;
    residents = builtInSamples();
    settings.templatesDir = (dir / "data" / "templates").string();
    settings.fonts = fontSet.get();
    settings.residents = &residents;
    settings.date = "2026-12-02";
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string form(const std::string& id, const std::string& box) {
    return R"({"id": ")" + id + R"(", "title": "試験", "template": "juminhyo.pdf", "fields": [
      {"name": "name", "source": "person.name", "box": )" + box + R"(, "size": 14, "minSize": 6, "fit": ["shrink", "condense"]}]})";
  }
  fs::path dir;
  std::shared_ptr<fonts::FontSet> fontSet;
  std::vector<SampleResident> residents;
  CheckSettings settings;
};

TEST_F(SaveTest, AValidDefinitionIsWrittenCanonically) {
  const auto out = saveDefinition((dir / "data").string(), form("shiken", "[41, 63, 108, 16]"), settings);
  ASSERT_TRUE(out.saved) << (out.problems.empty() ? "" : out.problems[0].message);
  EXPECT_EQ(out.file, "forms/shiken.json");
  const std::string written = slurp(dir / "data" / "forms" / "shiken.json");
  EXPECT_EQ(written, *canonicalDefinition(form("shiken", "[41, 63, 108, 16]")));
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "data" / "forms")) ++files;
  EXPECT_EQ(files, 1);  // no temporary left behind
}

TEST_F(SaveTest, AnInvalidDefinitionIsNotWrittenAndItsProblemsNameTheField) {
  const auto out = saveDefinition((dir / "data").string(), form("shiken", "[180, 63, 60, 16]"), settings);
  EXPECT_FALSE(out.saved);
  ASSERT_FALSE(out.problems.empty());
  EXPECT_EQ(out.problems[0].field, "name");
  EXPECT_EQ(out.problems[0].code, "outside_page");
  EXPECT_FALSE(fs::exists(dir / "data" / "forms" / "shiken.json"));
}

TEST_F(SaveTest, NothingIsWrittenOutsideTheDataFolder) {
  for (const char* id : {"../escape", "a/b", "..", ""}) {
    const auto out = saveDefinition((dir / "data").string(), form(id, "[41, 63, 108, 16]"), settings);
    EXPECT_FALSE(out.saved) << id;
  }
  EXPECT_FALSE(fs::exists(dir / "escape.json"));
  // forms/<id>.json a link to a file elsewhere: refused, the file elsewhere untouched.
  fs::create_directories(dir / "data" / "forms");
  { std::ofstream(dir / "elsewhere.json") << "keep"; }
  fs::create_symlink(dir / "elsewhere.json", dir / "data" / "forms" / "linked.json");
  EXPECT_FALSE(saveDefinition((dir / "data").string(), form("linked", "[41, 63, 108, 16]"), settings).saved);
  EXPECT_EQ(slurp(dir / "elsewhere.json"), "keep");
  // The forms folder itself a link out of the data folder: refused.
  fs::remove_all(dir / "data" / "forms");
  fs::create_directories(dir / "outside");
  fs::create_directory_symlink(dir / "outside", dir / "data" / "forms");
  EXPECT_FALSE(saveDefinition((dir / "data").string(), form("shiken", "[41, 63, 108, 16]"), settings).saved);
  EXPECT_TRUE(fs::is_empty(dir / "outside"));
}

}  // namespace
}  // namespace kakanai::designer
