#include "forms/value_format.h"

#include <cstdlib>

#include "core/iso_time.h"
#include "core/person.h"
#include "typeset/japanese_text.h"
#include "typeset/line_breaker.h"
#include "typeset/shaper.h"

namespace kakanai::forms {

namespace {

bool isEraFormat(ValueFormat f) {
  return f == ValueFormat::EraDate || f == ValueFormat::EraYear || f == ValueFormat::EraName || f == ValueFormat::Month ||
         f == ValueFormat::Day;
}

Error fieldError(ErrorCode code, const FormField& field, const std::string& why) {
  Error e = Error::of(code, "field " + field.name + ": " + why);
  e.items = {field.name};
  return e;
}

Result<std::string> dateText(const FormField& f, const std::string& raw) {
  using F = ValueFormat;
  const bool half = f.halfWidthDigits;
  if (f.format == F::Text) return raw;
  if (!isIsoDate(raw)) return fieldError(ErrorCode::DateOutOfRange, f, "not a date that exists");
  if (!isEraFormat(f.format)) {
    if (f.format == F::GregorianDate) return typeset::formatGregorianDate(raw, half);
    return raw.substr(0, 4);  // Year
  }
  const auto e = typeset::toEraDate(raw);
  if (!e) return fieldError(ErrorCode::DateOutOfRange, f, "before 1873-01-01 (the lunisolar calendar): no era date");
  switch (f.format) {
    case F::EraDate: return typeset::formatEraDate(*e, half);
    case F::EraYear: return typeset::eraYearText(e->year, half);
    case F::Month: return std::to_string(e->month);
    case F::Day: return std::to_string(e->day);
    default: return e->era;  // EraName
  }
}

}  // namespace

Result<std::string> formatFieldValue(const FormField& f, const std::string& raw) {
  auto text = dateText(f, raw);
  if (!text) return text;
  if (f.kanjiNumerals) return typeset::toKanjiNumerals(*text, f.numberHyphen);
  // A name as the card gives it; grid and vertical fields set their digits themselves. Each of
  // these converts only where its definition asks for it.
  const bool asGiven = f.source == "person.name" || f.kind == FieldKind::Grid || f.style.direction == typeset::Direction::Vertical;
  if (asGiven && !f.digitsExplicit) return text;
  return f.halfWidthDigits ? typeset::toHalfWidthDigits(*text) : typeset::toFullWidthDigits(*text);
}

namespace {

bool isGroupSeparator(char32_t c) { return c == U'-' || c == U'－' || c == U'‐' || c == U'−' || typeset::isSpace(c); }

// The value's characters, as clusters (a base and its variation selectors stay one cell).
std::vector<std::u32string> cellClusters(std::u32string_view text) {
  std::vector<std::u32string> out;
  for (char32_t c : text) {
    if (!out.empty() && typeset::isVariationSelector(c)) out.back().push_back(c);
    else out.emplace_back(1, c);
  }
  return out;
}

}  // namespace

Result<std::vector<std::u32string>> gridCells(const FormField& field, std::u32string_view text) {
  const auto clusters = cellClusters(text);
  const auto cells = static_cast<std::size_t>(field.cells);
  std::vector<std::u32string> out(cells);
  if (field.groups.empty()) {
    if (clusters.size() > cells) {
      return fieldError(ErrorCode::GridMismatch, field, std::to_string(clusters.size()) + " characters for " + std::to_string(cells) + " cells");
    }
    std::copy(clusters.begin(), clusters.end(), out.begin() + static_cast<std::ptrdiff_t>(cells - clusters.size()));
    return out;
  }
  // Split at separators; without any, the value must fill the cells exactly.
  std::vector<std::vector<std::u32string>> parts(1);
  for (const auto& c : clusters) {
    if (isGroupSeparator(c[0])) parts.emplace_back();
    else parts.back().push_back(c);
  }
  std::string shape;
  for (const auto& p : parts) shape += (shape.empty() ? "" : "+") + std::to_string(p.size());
  std::string groups;
  for (int g : field.groups) groups += (groups.empty() ? "" : "+") + std::to_string(g);
  const bool whole = parts.size() == 1 && parts[0].size() == cells;
  bool matches = whole || parts.size() == field.groups.size();
  for (std::size_t i = 0; matches && !whole && i < parts.size(); ++i) {
    matches = parts[i].size() == static_cast<std::size_t>(field.groups[i]);
  }
  if (!matches) return fieldError(ErrorCode::GridMismatch, field, "characters " + shape + " for groups " + groups);
  std::size_t k = 0;
  for (const auto& p : parts) {
    for (const auto& c : p) out[k++] = c;
  }
  return out;
}

namespace {

// Days since 1970-01-01 of a valid YYYY-MM-DD (proleptic Gregorian).
long daysFromCivil(const std::string& iso) {
  int y = std::atoi(iso.substr(0, 4).c_str());
  const int m = std::atoi(iso.substr(5, 2).c_str()), d = std::atoi(iso.substr(8, 2).c_str());
  y -= m <= 2 ? 1 : 0;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long>(era) * 146097 + doe - 719468;
}

}  // namespace

std::vector<FillWarning> dateWarnings(const FormDefinition& form, const FillRequest& request) {
  std::vector<FillWarning> out;
  std::string birthField, dateField;
  for (const auto& f : form.fields) {
    if (f.source == "person.birthDate" && birthField.empty()) birthField = f.name;
    if (f.source == "date" && dateField.empty()) dateField = f.name;
  }
  if (!isIsoDate(request.date)) return out;
  if (request.person != nullptr && !birthField.empty()) {
    const std::string_view birth = request.person->birthDate.view();
    if (isIsoDate(birth) && birth > std::string_view(request.date)) {
      out.push_back({birthField, WarningCode::BirthDateAfterApplication, "the birth date is after the application date"});
    }
  }
  const std::string today = request.today.empty() ? localDate(WallClock::now()) : request.today;
  if (!dateField.empty() && isIsoDate(today)) {
    const long apart = std::labs(daysFromCivil(request.date) - daysFromCivil(today));
    if (apart > request.applicationDateToleranceDays) {
      out.push_back({dateField, WarningCode::ApplicationDateFar, std::to_string(apart) + " days from today"});
    }
  }
  return out;
}

}  // namespace kakanai::forms
