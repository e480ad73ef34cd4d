// The cell finder on content streams written here, on the templates we ship (their sources give
// the ruled cells) and on third-party PDFs (LibreOffice and Acrobat output, whose AcroForm
// widgets sit in the frames the page draws).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "designer/cell_finder.h"
#include "forms/form_definition.h"
#include "pdf/form_pdf_writer.h"

namespace kakanai::designer {
namespace {

const std::filesystem::path kSource = KAKANAI_SOURCE_DIR;
constexpr double kMm = 72.0 / 25.4;

void identity(double x, double y, double& u, double& v) {
  u = x;
  v = 800 - y;  // a page 800 pt high
}

void expectBoxMm(const std::optional<typeset::Box>& b, double x, double y, double w, double h) {
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR(b->x / kMm, x, 0.3);
  EXPECT_NEAR(b->y / kMm, y, 0.3);
  EXPECT_NEAR(b->width / kMm, w, 0.3);
  EXPECT_NEAR(b->height / kMm, h, 0.3);
}

TEST(CellFinder, RectangleUnderTheCtm) {
  const auto s = paintedSegments("q 2 0 0 2 10 20 cm 0 0 50 20 re S Q 0 0 m 5 5 l n");
  ASSERT_EQ(s.size(), 4u);  // the path ended by n is not painted
  EXPECT_DOUBLE_EQ(s[0].x1, 10);
  EXPECT_DOUBLE_EQ(s[0].y1, 20);
  EXPECT_DOUBLE_EQ(s[0].x2, 110);
  EXPECT_DOUBLE_EQ(s[2].y2, 60);
}

TEST(CellFinder, StringsImagesAndCurvesAreNotRules) {
  const auto s = paintedSegments("BT (re S \\) 0 0 m 9 9 l S) Tj ET BI /W 1 ID \x01 S re EI 0 0 m 1 1 2 2 3 3 c S 0 0 m 10 0 l S");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_DOUBLE_EQ(s[0].x2, 10);
}

TEST(CellFinder, FormXObjectsAreDrawnWithTheirMatrix) {
  XObjectLookup lookup = [](const std::string& name) -> std::optional<FormXObject> {
    if (name != "Fm1") return std::nullopt;
    return FormXObject{"0 0 m 10 0 l S", Matrix{1, 0, 0, 1, 100, 0}, {}};
  };
  const auto s = paintedSegments("q 1 0 0 1 0 50 cm /Fm1 Do Q /Other Do", {}, lookup);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_DOUBLE_EQ(s[0].x1, 100);
  EXPECT_DOUBLE_EQ(s[0].y1, 50);
}

TEST(CellFinder, GridOfLinesAndThinFilledRules) {
  // A 2 × 2 table: the outer frame stroked, the inner rules as thin filled rectangles (as
  // spreadsheet exports draw them), the middle horizontal rule dashed.
  const std::string content =
      "100 500 200 100 re S 199.8 500 0.4 100 re f "
      "100 550 m 140 550 l 142 550 m 180 550 l 182 550 m 300 550 l S";
  const RuledLines lines = ruledLines(paintedSegments(content), identity);
  auto cell = findCell(lines, 150, 800 - 575);  // upper left cell (y down)
  ASSERT_TRUE(cell);
  EXPECT_NEAR(cell->x, 100, 0.5);
  EXPECT_NEAR(cell->y, 800 - 600, 0.5);
  EXPECT_NEAR(cell->width, 100, 0.5);
  EXPECT_NEAR(cell->height, 50, 0.5);
  auto right = findCell(lines, 250, 800 - 525);
  ASSERT_TRUE(right);
  EXPECT_NEAR(right->x, 200, 0.5);
  EXPECT_NEAR(right->y, 800 - 550, 0.5);
  EXPECT_FALSE(findCell(lines, 50, 300));  // outside the table
}

TEST(CellFinder, ShippedJuminhyoCells) {
  auto pages = readRuledLines((kSource / "templates" / "juminhyo.pdf").string());
  ASSERT_TRUE(pages) << pages.error().diagnostic;
  ASSERT_EQ(pages->size(), 1u);
  const RuledLines& p = (*pages)[0];
  // templates/src/juminhyo.json: frame 15..195 × 42..162, rules at y 62, 80, 96, 116, 136, x 40, 150, 165.
  expectBoxMm(findCell(p, 100 * kMm, 50 * kMm), 40, 42, 155, 20);     // 住所
  expectBoxMm(findCell(p, 90 * kMm, 70 * kMm), 40, 62, 110, 18);      // 氏名
  expectBoxMm(findCell(p, 157 * kMm, 70 * kMm), 150, 62, 15, 18);     // 性別
  expectBoxMm(findCell(p, 20 * kMm, 100 * kMm), 15, 96, 25, 20);      // 証明の種類 (label cell)
  expectBoxMm(findCell(p, 46.5 * kMm, 124.5 * kMm), 44, 122, 5, 5);   // a tick box inside a cell
  EXPECT_FALSE(findCell(p, 5 * kMm, 5 * kMm));
}

// Every text field of every shipped form lies in a ruled cell that holds most of its box (the
// application date of some forms is written on an underline instead); a grid field's centre is in
// one of its character cells.
TEST(CellFinder, EveryShippedTextFieldIsInACell) {
  int fields = 0;
  for (const auto& e : std::filesystem::directory_iterator(kSource / "forms")) {
    if (e.path().extension() != ".json" || e.path().filename().string().find(".schema.") != std::string::npos) continue;
    auto form = forms::loadFormDefinition(e.path().string());
    ASSERT_TRUE(form) << form.error().diagnostic;
    auto pages = readRuledLines((kSource / "templates" / form->templateFile).string());
    ASSERT_TRUE(pages);
    for (const auto& f : form->fields) {
      if (f.kind == forms::FieldKind::Choice || !f.acroField.empty()) continue;
      const double cx = f.box.x + f.box.width / 2, cy = f.box.y + f.box.height / 2;
      auto cell = findCell((*pages)[static_cast<std::size_t>(f.page)], cx, cy);
      ++fields;
      if (!cell) {  // then it is written on an underline
        const auto& rules = (*pages)[static_cast<std::size_t>(f.page)].horizontal;
        const double bottom = f.box.y + f.box.height;
        const bool underline = std::any_of(rules.begin(), rules.end(), [&](const Rule& r) {
          return std::abs(r.at - bottom) < 3 * kMm && r.from <= cx && r.to >= cx;
        });
        EXPECT_TRUE(underline) << form->id << " " << f.name << ": neither in a cell nor on a rule";
        EXPECT_EQ(f.name, "applicationDate") << form->id;
        continue;
      }
      if (f.kind == forms::FieldKind::Grid) {
        EXPECT_NEAR(cell->width, f.box.width / f.cells, 1.5 * kMm) << form->id << " " << f.name;
        continue;
      }
      const double ix = std::min(cell->x + cell->width, f.box.x + f.box.width) - std::max(cell->x, f.box.x);
      const double iy = std::min(cell->y + cell->height, f.box.y + f.box.height) - std::max(cell->y, f.box.y);
      EXPECT_GT(ix * iy, 0.5 * f.box.width * f.box.height) << form->id << " " << f.name;
    }
  }
  EXPECT_GE(fields, 30);
}

// Third-party AcroForm templates draw a frame around each text widget in the page content:
// clicking inside the widget finds that frame.
TEST(CellFinder, ThirdPartyFramesAroundWidgets) {
  int found = 0;
  for (const char* file : {"field-types.pdf", "form-empty-from-odt.pdf", "more-choices.pdf"}) {
    const auto path = (kSource / "tests" / "data" / "templates-thirdparty" / file).string();
    auto pages = readRuledLines(path);
    ASSERT_TRUE(pages) << file;
    auto writer = pdf::FormPdfWriter::open(path);
    ASSERT_TRUE(writer) << file;
    for (const auto& field : (*writer)->acroFields()) {
      if (field.kind != pdf::AcroKind::Text) continue;
      for (const auto& w : field.widgets) {
        auto cell = findCell((*pages)[static_cast<std::size_t>(w.page)], w.box.x + w.box.width / 2, w.box.y + w.box.height / 2);
        ASSERT_TRUE(cell) << file << " " << field.name;
        // The frame holds the widget, with at most 4 pt of margin on each side.
        EXPECT_LE(cell->x, w.box.x + 0.5) << file << " " << field.name;
        EXPECT_LE(cell->y, w.box.y + 0.5) << file << " " << field.name;
        EXPECT_GE(cell->x + cell->width, w.box.x + w.box.width - 0.5) << file << " " << field.name;
        EXPECT_GE(cell->y + cell->height, w.box.y + w.box.height - 0.5) << file << " " << field.name;
        EXPECT_NEAR(cell->width, w.box.width, 8) << file << " " << field.name;
        EXPECT_NEAR(cell->height, w.box.height, 8) << file << " " << field.name;
        ++found;
      }
    }
  }
  EXPECT_GE(found, 3);
}

}  // namespace
}  // namespace kakanai::designer
