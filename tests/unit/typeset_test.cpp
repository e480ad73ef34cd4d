#include <gtest/gtest.h>

#include "fonts/font_set.h"
#include "typeset/field_layout.h"
#include "typeset/japanese_text.h"
#include "typeset/line_breaker.h"
#include "typeset/shaper.h"

namespace kakanai::typeset {
namespace {

const fonts::FontSet& fontSet() {
  static auto set = *fonts::FontSet::load(std::string(KAKANAI_SOURCE_DIR) + "/fonts/manifest.json");
  return *set;
}
const fonts::Font& mincho() { return *fontSet().byRole("mincho"); }

TEST(Era, EveryBoundaryAndGannen) {
  struct Case {
    const char* date;
    const char* text;
  } cases[] = {{"1912-07-29", "明治45年7月29日"}, {"1912-07-30", "大正元年7月30日"}, {"1926-12-24", "大正15年12月24日"},
               {"1926-12-25", "昭和元年12月25日"}, {"1989-01-07", "昭和64年1月7日"},  {"1989-01-08", "平成元年1月8日"},
               {"2019-04-30", "平成31年4月30日"},  {"2019-05-01", "令和元年5月1日"},   {"1900-01-01", "明治33年1月1日"}};
  for (const auto& c : cases) {
    auto e = toEraDate(c.date);
    ASSERT_TRUE(e.has_value()) << c.date;
    EXPECT_EQ(formatEraDate(*e, /*halfWidth=*/true), c.text) << c.date;
  }
  EXPECT_EQ(formatEraDate(*toEraDate("2019-05-01")), "令和元年５月１日");
  EXPECT_EQ(toEraDate("1989-01-08")->eraInitial, "平");
  EXPECT_FALSE(toEraDate("1989-02-30").has_value());
}

TEST(Numbers, FullWidthAndKanji) {
  EXPECT_EQ(toFullWidthDigits("2-15-3"), "２－１５－３");
  EXPECT_EQ(toHalfWidthDigits("１２０３号"), "1203号");
  EXPECT_EQ(toKanjiNumerals("二丁目１５番３号"), "二丁目十五番三号");
  EXPECT_EQ(toKanjiNumerals("20番地"), "二十番地");
  EXPECT_EQ(toKanjiNumerals("１０号"), "十号");
  EXPECT_EQ(toKanjiNumerals("ビル１２０３号室"), "ビル一二〇三号室");
  EXPECT_EQ(formatGregorianDate("2026-11-03"), "２０２６年１１月３日");
}

std::vector<std::u32string> clusters(std::u32string_view s) {
  std::vector<std::u32string> out;
  for (char32_t c : s) out.push_back(std::u32string(1, c));
  return out;
}

TEST(LineBreaker, Kinsoku) {
  const auto c = clusters(U"「山」と、ゃーヶ々");
  const auto b = lineBreakOpportunities(c, BreakStyle::Plain);
  EXPECT_EQ(b[0], -1);  // no line ends with 「
  EXPECT_EQ(b[1], -1);  // no line starts with 」
  EXPECT_GE(b[2], 0);   // after 」 is fine
  EXPECT_EQ(b[3], -1);  // no line starts with 、
  EXPECT_EQ(b[4], -1);  // no line starts with small kana
  EXPECT_EQ(b[5], -1);  // no line starts with ー
  EXPECT_EQ(b[7], -1);  // no line starts with 々
}

TEST(LineBreaker, DigitRunsAndUnitsStayTogether) {
  const auto c = clusters(U"１２－７－２０２号室Ｂ棟");
  const auto b = lineBreakOpportunities(c, BreakStyle::Plain);
  for (std::size_t i = 0; i + 1 < 9; ++i) EXPECT_EQ(b[i], -1) << i;  // 12-7-202号 is one unit
  EXPECT_EQ(b[10], -1);  // Ｂ棟
}

TEST(LineBreaker, AddressesPreferTheSpaceThenBlockWords) {
  const auto c = clusters(U"北海道札幌市中央区北一条西二丁目１番地　札幌ビル");
  const auto b = lineBreakOpportunities(c, BreakStyle::Address);
  const std::size_t space = 19;
  ASSERT_EQ(c[space], U"\u3000");
  EXPECT_EQ(b[space], 5);
  EXPECT_EQ(b[space - 1], -1);  // not just before the space
  EXPECT_EQ(b[15], 4);          // after 丁目
  EXPECT_EQ(b[5], 2);           // after 市
}

TEST(Shaper, FallbackIsPerClusterAndRespectsVariationSequences) {
  // 𠮷 is not in BIZ UD: it alone comes from IPAmj.
  auto s = shapeText(fontSet(), mincho(), decodeUtf8("𠮷田"), Direction::Horizontal);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->clusters.size(), 2u);
  EXPECT_TRUE(s->clusters[0].fromFallback);
  EXPECT_FALSE(s->clusters[1].fromFallback);
  // 葛+E0100 is in BIZ UD; 葛+E0102 only in IPAmj, which takes the whole cluster.
  s = shapeText(fontSet(), mincho(), U"葛\U000E0100葛\U000E0102", Direction::Horizontal);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->clusters.size(), 2u);
  EXPECT_FALSE(s->clusters[0].fromFallback);
  EXPECT_TRUE(s->clusters[1].fromFallback);
  EXPECT_EQ(s->clusters[1].codepoints, U"葛\U000E0102");
  EXPECT_NE(s->clusters[0].glyphs[0].gid, *mincho().glyphFor(U'葛', 0));  // the variant, not the base glyph
}

TEST(Shaper, ASequenceNoFontHasIsGlyphMissingNotItsBase) {
  MissingGlyphs missing;
  // 辻 with E0105: neither font lists it (BIZ UD E0100-E0101, IPAmj E0102-E0103).
  auto s = shapeText(fontSet(), mincho(), U"辻\U000E0105彦😀", Direction::Horizontal, &missing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::GlyphMissing);
  EXPECT_EQ(missing.codepoints, (std::vector<std::string>{"U+8FBB U+E0105", "U+1F600"}));
}

FieldLayout lay(std::string_view text, double boxWidth, double boxHeight, FieldStyle st) {
  auto shaped = shapeText(fontSet(), mincho(), decodeUtf8(text), st.direction);
  EXPECT_TRUE(shaped.ok());
  return layoutField(*shaped, fontSet(), Box{10, 10, boxWidth, boxHeight}, st);
}

bool has(const FieldLayout& l, const std::string& code) {
  for (const auto& w : l.warnings) {
    if (w.code == code) return true;
  }
  return false;
}

bool inside(const Box& ink, const Box& box) {
  return ink.x >= box.x - 1e-6 && ink.y >= box.y - 1e-6 && ink.x + ink.width <= box.x + box.width + 1e-6 &&
         ink.y + ink.height <= box.y + box.height + 1e-6;
}

TEST(Fitting, StepsRunInTheDeclaredOrderAndAreReported) {
  FieldStyle st;
  st.size = 12;
  st.minSize = 8;
  st.minScale = 0.7;
  st.maxLines = 2;
  st.steps = {FitStep::Wrap, FitStep::Shrink, FitStep::Condense};
  // 10 characters in a box 12 em wide: nominal.
  auto l = lay("東京都千代田区霞が関", 12 * 12 + 2, 30, st);
  EXPECT_TRUE(l.warnings.empty());
  EXPECT_EQ(l.lines, 1);
  // 20 characters: wraps onto two lines before shrinking.
  l = lay("東京都千代田区霞が関二丁目一番二号霞が関", 12 * 12 + 2, 32, st);
  EXPECT_TRUE(has(l, "wrapped"));
  EXPECT_FALSE(has(l, "shrunk"));
  EXPECT_EQ(l.lines, 2);
  // 26 characters need three lines at 12pt; two lines are allowed, so it shrinks (before condensing).
  l = lay("東京都千代田区霞が関二丁目一番二号霞が関ビル東館三階", 12 * 12 + 2, 32, st);
  EXPECT_EQ(l.lines, 2);
  EXPECT_TRUE(has(l, "shrunk"));
  EXPECT_FALSE(has(l, "condensed"));
  // Far too long: condensed, then overflow, and nothing outside the box.
  std::string longText;
  for (int i = 0; i < 12; ++i) longText += "東京都千代田区";
  l = lay(longText, 12 * 12 + 2, 32, st);
  EXPECT_TRUE(has(l, "condensed"));
  EXPECT_TRUE(has(l, "overflow"));
  EXPECT_GT(l.clustersCut, 0u);
  EXPECT_TRUE(inside(l.ink, Box{10, 10, 12 * 12 + 2, 32}));
}

TEST(Fitting, NamesShrinkThenCondenseButNeverWrap) {
  FieldStyle st;
  st.size = 16;
  st.minSize = 10;
  st.minScale = 0.6;
  st.steps = {FitStep::Shrink, FitStep::Condense};
  auto l = lay("GARCIA RODRIGUEZ MARIA FERNANDA DE LOS SANTOS", 200, 20, st);
  EXPECT_EQ(l.lines, 1);
  EXPECT_TRUE(has(l, "shrunk"));
  EXPECT_TRUE(has(l, "condensed"));
  EXPECT_TRUE(inside(l.ink, Box{10, 10, 200, 20}));
}

TEST(Fitting, ShortNamesAreSpreadKeepingTheSpace) {
  FieldStyle st;
  st.size = 10;
  st.padding = 0;
  st.distribute = {{2, 6}, {6, 7}};
  auto l = lay("林　昭", 200, 14, st);
  ASSERT_EQ(l.runs.size(), 1u);
  // 林 and 昭 are not neighbours (the space is between them): no extra spacing, natural 3 em.
  EXPECT_NEAR(l.ink.width, 30, 0.5);
  l = lay("山田　太郎", 200, 14, st);
  // 4 characters over 7 em: the space keeps its width, the two gaps share the rest.
  EXPECT_NEAR(l.ink.width, 70, 0.5);
}

TEST(Fitting, VerticalTextRunsTopToBottomRightToLeftWithTateChuYoko) {
  FieldStyle st;
  st.direction = Direction::Vertical;
  st.size = 10;
  st.padding = 0;
  auto shaped = shapeText(fontSet(), mincho(), decodeUtf8("令和８年１１月"), Direction::Vertical);
  ASSERT_TRUE(shaped.ok());
  applyTateChuYoko(*shaped, fontSet());
  ASSERT_EQ(shaped->clusters.size(), 6u);  // 令 和 ８ 年 11 月
  EXPECT_TRUE(shaped->clusters[4].tateChuYoko);
  EXPECT_FALSE(shaped->clusters[2].tateChuYoko);  // a single digit stays upright alone
  auto l = layoutField(*shaped, fontSet(), Box{0, 0, 12, 100}, st);
  EXPECT_EQ(l.lines, 1);
  EXPECT_NEAR(l.ink.height, 60, 0.5);  // six one-em cells
  EXPECT_TRUE(inside(l.ink, Box{0, 0, 12, 100}));
  // 、 takes its vertical form (a different glyph).
  auto h = shapeText(fontSet(), mincho(), U"、", Direction::Horizontal);
  auto v = shapeText(fontSet(), mincho(), U"、", Direction::Vertical);
  EXPECT_NE(h->clusters[0].glyphs[0].gid, v->clusters[0].glyphs[0].gid);
}

TEST(Fonts, AWrongChecksumIsRefusedNamingTheRole) {
  fonts::FontManifestEntry e{"mincho", "BIZ UD明朝", "fonts-morisawa-bizud-mincho",
                             "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf", std::string(64, '0')};
  auto f = fonts::Font::open(e);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().diagnostic.find("mincho"), std::string::npos);
  EXPECT_NE(f.error().diagnostic.find("checksum"), std::string::npos);
  e.file = "/nonexistent/font.ttf";
  f = fonts::Font::open(e);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().diagnostic.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace kakanai::typeset
