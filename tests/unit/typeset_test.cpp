#include <gtest/gtest.h>

#include <hb.h>

#include <cmath>
#include <map>
#include <set>

#include "fonts/font_set.h"
#include "pdf/font_embedder.h"
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
    if (warningName(w.code) == code) return true;
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
  applyVerticalForms(*shaped, fontSet());
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

TEST(Era, NoEraDateBeforeTheSolarCalendar) {
  // Before 1873-01-01 Japan counted lunisolar months: no Gregorian date has a true 明治 month.
  EXPECT_FALSE(toEraDate("1872-12-31").has_value());
  EXPECT_FALSE(toEraDate("1867-12-31").has_value());
  EXPECT_FALSE(toEraDate("1800-01-01").has_value());
  ASSERT_TRUE(toEraDate("1873-01-01").has_value());
  EXPECT_EQ(formatEraDate(*toEraDate("1873-01-01"), true), "明治6年1月1日");
}

TEST(Numbers, LatinTokensAndNamesKeepTheirCharacters) {
  // Only numbers change: a Latin token keeps its hyphen and its digits.
  EXPECT_EQ(toFullWidthDigits("Smith-Jones　花子"), "Smith-Jones　花子");
  EXPECT_EQ(toFullWidthDigits("港区芝公園4-2-8 Tower-A 12F"), "港区芝公園４－２－８ Tower-A 12F");
  EXPECT_EQ(toFullWidthDigits("O'Brien-3"), "O'Brien-3");
  EXPECT_EQ(toFullWidthDigits("1-"), "１-");  // a hyphen not between two digits is not part of the number
  EXPECT_EQ(toFullWidthDigits("Ｂ棟12号"), "Ｂ棟１２号");
  // Half width never mixes widths.
  EXPECT_EQ(toHalfWidthDigits("０３－１２３４－５６７８"), "03-1234-5678");
  EXPECT_EQ(toHalfWidthDigits("０３‐１２３４−５６７８"), "03-1234-5678");
  EXPECT_EQ(toHalfWidthDigits("Ｔｏｗｅｒ－Ａ　１２Ｆ"), "Ｔｏｗｅｒ－Ａ　１２Ｆ");
  // Kanji numerals never reach into a Latin token; a hyphen between numbers becomes の.
  EXPECT_EQ(toKanjiNumerals("Sunny-Heights 3F"), "Sunny-Heights 3F");
  EXPECT_EQ(toKanjiNumerals("西新宿2-8-1 Sunny-Heights 3F"), "西新宿二の八の一 Sunny-Heights 3F");
  EXPECT_EQ(toKanjiNumerals("西新宿２－８－１", NumberHyphen::Chome), "西新宿二丁目八番一号");
  EXPECT_EQ(toKanjiNumerals("柿本166-3", NumberHyphen::Chome), "柿本一六六番三号");
  EXPECT_EQ(toKanjiNumerals("1-2-3-4"), "一の二の三の四");
}

TEST(LineBreaker, HalfWidthFormsFollowTheClassesOfTheirFullWidthForms) {
  // ｱ｡ ｲ､ ｳｰ ｴｯ ｵｧ ｢ｶ｣ ･ ﾞ
  const auto c = clusters(U"ｱ｡ｲ､ｳｰｴｯｵｧ｢ｶ｣ｷ･ｸﾞ");
  const auto b = lineBreakOpportunities(c, BreakStyle::Plain);
  EXPECT_EQ(b[0], -1);   // not before ｡
  EXPECT_EQ(b[2], -1);   // not before ､
  EXPECT_EQ(b[4], -1);   // not before ｰ
  EXPECT_EQ(b[6], -1);   // not before ｯ
  EXPECT_EQ(b[8], -1);   // not before ｧ
  EXPECT_EQ(b[10], -1);  // not after ｢
  EXPECT_GE(b[9], 0);    // before ｢ is fine
  EXPECT_EQ(b[11], -1);  // not before ｣
  EXPECT_EQ(b[13], -1);  // not before ･
  EXPECT_EQ(b[15], -1);  // not before ﾞ
}

TEST(LineBreaker, InseparableCharactersAreNeverSplit) {
  const auto c = clusters(U"あ……い――う‥‥え——お");
  const auto b = lineBreakOpportunities(c, BreakStyle::Plain);
  EXPECT_EQ(b[1], -1);  // ……
  EXPECT_EQ(b[4], -1);  // ――
  EXPECT_EQ(b[7], -1);  // ‥‥
  EXPECT_EQ(b[10], -1); // ——
  EXPECT_GE(b[2], 0);   // after the pair
}

TEST(LineBreaker, LatinWordsKeepTheirApostrophesAndLetters) {
  for (std::u32string text : {U"Mary O'Brien", U"Mary O’Brien", U"José D'Ávila"}) {
    const auto c = clusters(text);
    const auto b = lineBreakOpportunities(c, BreakStyle::Plain);
    for (std::size_t i = 5; i + 1 < c.size(); ++i) EXPECT_EQ(b[i], -1) << i;  // the second word is whole
    EXPECT_GE(b[4], 0);  // after the space
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(b[i], -1) << i;
  }
}

TEST(LineBreaker, BlockUnitsArePreferredOnlyWhereTheyEndTheBlockNumber) {
  auto c = clusters(U"本町第七号館ビル");
  auto b = lineBreakOpportunities(c, BreakStyle::Address);
  EXPECT_EQ(b[4], -1);  // never 第七号｜館
  c = clusters(U"中町１２３４号室");
  b = lineBreakOpportunities(c, BreakStyle::Address);
  EXPECT_EQ(b[6], -1);  // never １２３４号｜室
  c = clusters(U"一丁目２番３号　ビル");
  b = lineBreakOpportunities(c, BreakStyle::Address);
  EXPECT_EQ(b[2], 4);   // after 丁目
  EXPECT_EQ(b[4], 3);   // after ２番
  EXPECT_EQ(b[7], 5);   // the space
  EXPECT_EQ(b[6], -1);  // never just before the space
  c = clusters(U"番号案内");
  b = lineBreakOpportunities(c, BreakStyle::Address);
  EXPECT_EQ(b[1], 0);  // 号 after no number is no block unit
}

TEST(LineBreaker, AKanjiNumberIsOneUnit) {
  auto c = clusters(U"本町一二三四番地");
  auto b = lineBreakOpportunities(c, BreakStyle::Address);
  for (std::size_t i = 2; i < 7; ++i) EXPECT_EQ(b[i], -1) << i;
  EXPECT_GE(b[1], 0);
  c = clusters(U"西新宿二の八の一");
  b = lineBreakOpportunities(c, BreakStyle::Address);
  for (std::size_t i = 3; i < 7; ++i) EXPECT_EQ(b[i], -1) << i;
  c = clusters(U"三の丸");  // a place name, not a number
  b = lineBreakOpportunities(c, BreakStyle::Plain);
  EXPECT_GE(b[1], 0);
}

ShapedText vertical(std::u32string_view text, VerticalOptions o = {}) {
  auto shaped = shapeText(fontSet(), mincho(), text, Direction::Vertical);
  EXPECT_TRUE(shaped.ok());
  applyVerticalForms(*shaped, fontSet(), o);
  return *shaped;
}

std::uint32_t gidOf(std::u32string_view text, Direction d) {
  auto s = shapeText(fontSet(), mincho(), text, d);
  return s->clusters[0].glyphs[0].gid;
}

TEST(Vertical, NumbersAreTateChuYokoUpToTheLimitElseUprightNeverMixed) {
  // 123: three digits, over the default limit of 2: each upright, full-width, one per cell.
  auto t = vertical(U"山田123");
  ASSERT_EQ(t.clusters.size(), 5u);
  for (std::size_t i = 2; i < 5; ++i) {
    EXPECT_FALSE(t.clusters[i].tateChuYoko) << i;
    EXPECT_EQ(t.clusters[i].glyphs[0].gid, gidOf(std::u32string(1, U'１' + static_cast<char32_t>(i - 2)), Direction::Vertical));
    EXPECT_EQ(t.clusters[i].codepoints, std::u32string(1, U'1' + static_cast<char32_t>(i - 2)));  // the text stays
  }
  t = vertical(U"１２３４番");
  for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(t.clusters[i].tateChuYoko);
  // Two digits: one 縦中横 unit, each glyph standing for its own digit.
  t = vertical(U"昭和５５年");
  ASSERT_EQ(t.clusters.size(), 4u);
  ASSERT_TRUE(t.clusters[2].tateChuYoko);
  EXPECT_EQ(t.clusters[2].glyphTexts, (std::vector<std::u32string>{U"５", U"５"}));
  // A field that allows three: 123 is one unit.
  t = vertical(U"山田123", {3, 0});
  ASSERT_EQ(t.clusters.size(), 3u);
  EXPECT_TRUE(t.clusters[2].tateChuYoko);
  EXPECT_EQ(t.clusters[2].glyphs.size(), 3u);
  // None allowed: upright.
  t = vertical(U"55年", {0, 0});
  EXPECT_EQ(t.clusters.size(), 3u);
}

TEST(Vertical, LatinWordsAreRotatedFullWidthStaysUprightInitialsMayStand) {
  auto t = vertical(U"Mary O'Brien ＡＢ");
  for (std::size_t i = 0; i < 12; ++i) EXPECT_TRUE(t.clusters[i].rotated) << i;  // the space between the words too
  EXPECT_FALSE(t.clusters[13].rotated);  // Ａ upright
  // Rotated glyphs are the horizontal ones (the apostrophe too, not a vertical comma).
  EXPECT_EQ(t.clusters[6].glyphs[0].gid, gidOf(U"'", Direction::Horizontal));
  EXPECT_EQ(t.clusters[0].glyphs[0].gid, gidOf(U"M", Direction::Horizontal));
  // Digits inside a Latin token rotate with it: 3F is not a number of its own.
  t = vertical(U"Heights 3F");
  for (const auto& c : t.clusters) EXPECT_TRUE(c.rotated);
  // Initials upright when the field asks.
  t = vertical(U"JR東日本", {2, 2});
  EXPECT_FALSE(t.clusters[0].rotated);
  EXPECT_EQ(t.clusters[0].glyphs[0].gid, gidOf(U"Ｊ", Direction::Vertical));
  t = vertical(U"JR東日本");
  EXPECT_TRUE(t.clusters[0].rotated);
}

TEST(Vertical, AHyphenTakesItsVerticalFormNeverAKanjiStroke) {
  for (std::u32string text : {U"2-8", U"２－８", U"２‐８"}) {
    auto t = vertical(text);
    ASSERT_EQ(t.clusters.size(), 3u);
    const auto& h = t.clusters[1];
    EXPECT_EQ(h.codepoints, text.substr(1, 1));
    // Either a vertical glyph differing from the horizontal one, or the horizontal glyph turned.
    EXPECT_TRUE(h.rotated || h.glyphs[0].gid != gidOf(text.substr(1, 1), Direction::Horizontal)) << int(text[1]);
    EXPECT_NE(h.glyphs[0].gid, gidOf(U"一", Direction::Vertical));
  }
}

TEST(Vertical, LayoutPlacesRotatedLatinDownTheColumnAndEachDigitWithItsText) {
  FieldStyle st;
  st.direction = Direction::Vertical;
  st.size = 10;
  st.padding = 0;
  const Box box{0, 0, 12, 200};
  auto t = vertical(U"東京Tower５５");
  auto l = layoutField(t, fontSet(), box, st);
  EXPECT_TRUE(inside(l.ink, box));
  const GlyphRun* latin = nullptr;
  const GlyphRun* tcy = nullptr;
  for (const auto& r : l.runs) {
    if (r.rotated) latin = &r;
    if (!r.vertical && !r.rotated) tcy = &r;
  }
  ASSERT_NE(latin, nullptr);
  ASSERT_EQ(latin->glyphs.size(), 5u);
  EXPECT_FALSE(latin->vertical);  // horizontal glyphs, turned by the writer
  for (std::size_t i = 1; i < 5; ++i) {
    EXPECT_GT(latin->glyphs[i].y, latin->glyphs[i - 1].y);             // down the column
    EXPECT_NEAR(latin->glyphs[i].x, latin->glyphs[0].x, 1e-9);         // on one baseline
  }
  EXPECT_GT(latin->glyphs[0].y, 20 - 1e-6);  // after 東京
  EXPECT_LT(latin->glyphs[0].x, 6);          // baseline left of the centre: the glyphs' tops face right
  EXPECT_EQ(latin->glyphs[0].text, U"T");
  ASSERT_NE(tcy, nullptr);
  ASSERT_EQ(tcy->glyphs.size(), 2u);
  EXPECT_EQ(tcy->glyphs[0].text, U"５");
  EXPECT_EQ(tcy->glyphs[1].text, U"５");
}

TEST(Vertical, AKanjiNumberIsNeverSplitAcrossColumns) {
  FieldStyle st;
  st.direction = Direction::Vertical;
  st.size = 10;
  st.padding = 0;
  st.maxLines = 2;
  st.lineGap = 0.2;
  st.steps = {FitStep::Wrap};
  st.breaks = BreakStyle::Plain;
  // Nine cells per column: a break by length alone would fall between 一 and 二.
  auto t = vertical(U"あいうえおかきく一二三四番地");
  auto l = layoutField(t, fontSet(), Box{0, 0, 24, 90}, st);
  ASSERT_EQ(l.lines, 2);
  std::map<std::u32string, double> column;
  for (const auto& r : l.runs) {
    for (const auto& g : r.glyphs) column[g.text] = g.x;
  }
  EXPECT_EQ(column[U"一"], column[U"二"]);
  EXPECT_EQ(column[U"一"], column[U"地"]);
  EXPECT_NE(column[U"一"], column[U"く"]);
}

TEST(ToUnicode, EachCidStandsForOneTextWhereverItIsUsed) {
  pdf::GlyphCodes codes(mincho());
  const std::uint32_t one = *mincho().glyphFor(U'1', 0);
  // The half-width 1 stands for "1" in one place and for "１" (縦中横 of a full-width number) in another.
  EXPECT_EQ(codes.use(one, U"1"), one);
  const std::uint32_t alias = codes.use(one, U"１");
  EXPECT_NE(alias, one);
  EXPECT_GE(alias, static_cast<std::uint32_t>(hb_face_get_glyph_count(mincho().hbFace())));
  EXPECT_EQ(codes.use(one, U"１"), alias);  // the same pair, the same CID
  EXPECT_EQ(codes.cidOf(one, U"1"), one);
  EXPECT_FALSE(codes.identity());
  const auto map = codes.toUnicode();
  EXPECT_EQ(map, (std::vector<std::pair<std::uint32_t, std::u32string>>{{one, U"1"}, {alias, U"１"}}));
  // CIDToGIDMap: the alias shows the same glyph, every other CID its own.
  const Bytes cidToGid = codes.cidToGidMap();
  ASSERT_EQ(cidToGid.size(), 2u * (alias + 1));
  EXPECT_EQ(cidToGid[2 * alias] << 8 | cidToGid[2 * alias + 1], static_cast<int>(one));
  EXPECT_EQ(cidToGid[2 * 7] << 8 | cidToGid[2 * 7 + 1], 7);
  // Widths are written for the alias too.
  const auto widths = pdf::horizontalWidths(mincho(), codes);
  ASSERT_EQ(widths.size(), 2u);
  EXPECT_EQ(widths[1].first, alias);
  EXPECT_EQ(widths[1].second, widths[0].second);
  // A font where every glyph has one text keeps CID = GID and /Identity.
  pdf::GlyphCodes plain(mincho());
  plain.use(one, U"1");
  plain.use(one, U"1");
  plain.use(one + 1, U"2");
  EXPECT_TRUE(plain.identity());
  EXPECT_EQ(plain.toUnicode().size(), 2u);
}

TEST(Widths, DefaultMetricsAreLeftToDwAndDw2) {
  pdf::GlyphCodes codes(mincho());
  const std::uint32_t a = *mincho().glyphFor(U'あ', 0), i = *mincho().glyphFor(U'い', 0), one = *mincho().glyphFor(U'1', 0);
  codes.use(a, U"あ");
  codes.use(i, U"い");
  codes.use(one, U"1");
  // Full-width kana are 1000 wide (/DW): only the half-width digit is listed.
  const auto widths = pdf::horizontalWidths(mincho(), codes);
  ASSERT_EQ(widths.size(), 1u);
  EXPECT_EQ(widths[0].first, one);
  ASSERT_EQ(widths[0].second.size(), 1u);
  EXPECT_EQ(widths[0].second[0], std::lround(mincho().horizontalAdvance(one)));
  EXPECT_NE(widths[0].second[0], pdf::kDefaultWidth);
  // Every CID left out of /W2 has exactly the metrics /DW2 gives it (PDF 32000 9.7.4.3: position
  // vector (w0 / 2, DW2[0]), advance DW2[1]) and the default width, whose half pdf.js takes for
  // every glyph; the others are listed. The rendered vertical references (forms tests) check the
  // same from outside, through poppler.
  const auto vertical = pdf::verticalMetrics(mincho(), codes);
  std::set<std::uint32_t> listed;
  for (const auto& [first, values] : vertical) {
    for (std::size_t k = 0; k < values.size() / 3; ++k) listed.insert(first + static_cast<std::uint32_t>(k));
  }
  for (std::uint32_t g : {a, i, one}) {
    double vx = 0, vy = 0;
    mincho().verticalOrigin(g, vx, vy);
    const bool isDefault = std::lround(vy) == pdf::kDefaultVertical[0] && std::lround(-mincho().verticalAdvance(g)) == pdf::kDefaultVertical[1] &&
                           2 * std::lround(vx) == std::lround(mincho().horizontalAdvance(g)) &&
                           std::lround(mincho().horizontalAdvance(g)) == pdf::kDefaultWidth;
    EXPECT_EQ(listed.count(g) == 0, isDefault) << g;
  }
  EXPECT_EQ(listed.count(a), 0u);  // BIZ UD's kana stand upright on the default origin and advance
  EXPECT_EQ(listed.count(one), 1u);  // half-width: pdf.js would centre it on 500, not on its width's half
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
