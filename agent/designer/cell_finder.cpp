#include "designer/cell_finder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kakanai::designer {

namespace {

constexpr std::size_t kMaxSegments = 200000;
constexpr int kMaxDepth = 8;
// Tokens read in all, form XObjects included: a form drawn many times by forms drawn many times
// would otherwise grow exponentially with the nesting.
constexpr std::size_t kTokenBudget = 2000000;

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool isDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

struct Operand {
  bool number = false;
  double value = 0;
  std::string name;  // for /Name operands
};

Matrix multiply(const Matrix& m, const Matrix& n) {  // m then n
  return {m.a * n.a + m.b * n.c, m.a * n.b + m.b * n.d, m.c * n.a + m.d * n.c,
          m.c * n.b + m.d * n.d, m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
}

struct Scanner {
  std::string_view s;
  std::size_t i = 0;
  std::vector<Operand> operands;
  std::vector<Matrix> stack;
  Matrix ctm;
  std::vector<UserSegment> path;  // the path under construction, transformed
  double startX = 0, startY = 0, curX = 0, curY = 0;  // user space of the page
  std::vector<UserSegment>& out;
  const XObjectLookup& lookup;
  int depth;
  std::size_t* budget;

  void point(double x, double y, double& ox, double& oy) const {
    ox = ctm.a * x + ctm.c * y + ctm.e;
    oy = ctm.b * x + ctm.d * y + ctm.f;
  }
  void lineTo(double x, double y) {
    double ux, uy;
    point(x, y, ux, uy);
    if (path.size() < kMaxSegments) path.push_back({curX, curY, ux, uy});
    curX = ux;
    curY = uy;
  }
  void moveTo(double x, double y) {
    point(x, y, curX, curY);
    startX = curX;
    startY = curY;
  }
  void close() {
    if (curX != startX || curY != startY) path.push_back({curX, curY, startX, startY});
    curX = startX;
    curY = startY;
  }
  void paint(bool keep) {
    if (keep) {
      for (const auto& p : path) {
        if (out.size() >= kMaxSegments) break;
        out.push_back(p);
      }
    }
    path.clear();
  }

  double num(std::size_t fromEnd) const {  // operands counted from the last
    return operands[operands.size() - fromEnd].value;
  }
  bool numbers(std::size_t n) const {
    if (operands.size() < n) return false;
    for (std::size_t k = operands.size() - n; k < operands.size(); ++k) {
      if (!operands[k].number) return false;
    }
    return true;
  }

  void skipString() {  // after '('
    int nesting = 1;
    while (i < s.size() && nesting > 0) {
      const char c = s[i++];
      if (c == '\\') ++i;
      else if (c == '(') ++nesting;
      else if (c == ')') --nesting;
    }
  }
  void skipInlineImage() {  // after BI: to ID, then the data up to EI between white space
    const auto id = s.find("ID", i);
    if (id == std::string_view::npos) {
      i = s.size();
      return;
    }
    std::size_t k = id + 3;
    while (k + 2 <= s.size()) {
      if (s.compare(k, 2, "EI") == 0 && isSpace(s[k - 1]) && (k + 2 == s.size() || isSpace(s[k + 2]) || isDelimiter(s[k + 2]))) break;
      ++k;
    }
    i = std::min(s.size(), k + 2);
  }

  void drawForm(const std::string& name);
  void operate(std::string_view op);
  void run();
};

void Scanner::drawForm(const std::string& name) {
  if (!lookup || depth >= kMaxDepth) return;
  auto form = lookup(name);
  if (!form) return;
  Scanner inner{form->content, 0, {}, {}, multiply(form->matrix, ctm), {}, 0, 0, 0, 0, out, form->resources, depth + 1, budget};
  inner.run();
}

void Scanner::operate(std::string_view op) {
  if (op == "q") {
    if (stack.size() < 256) stack.push_back(ctm);
  } else if (op == "Q") {
    if (!stack.empty()) {
      ctm = stack.back();
      stack.pop_back();
    }
  } else if (op == "cm" && numbers(6)) {
    ctm = multiply({num(6), num(5), num(4), num(3), num(2), num(1)}, ctm);
  } else if (op == "m" && numbers(2)) {
    moveTo(num(2), num(1));
  } else if (op == "l" && numbers(2)) {
    lineTo(num(2), num(1));
  } else if (op == "re" && numbers(4)) {
    const double x = num(4), y = num(3), w = num(2), h = num(1);
    moveTo(x, y);
    lineTo(x + w, y);
    lineTo(x + w, y + h);
    lineTo(x, y + h);
    close();
  } else if ((op == "c" && numbers(6)) || ((op == "v" || op == "y") && numbers(4))) {
    point(num(2), num(1), curX, curY);  // a curve is no rule: only where it ends matters
  } else if (op == "h") {
    close();
  } else if (op == "s" || op == "b" || op == "b*") {
    close();
    paint(true);
  } else if (op == "S" || op == "f" || op == "F" || op == "f*" || op == "B" || op == "B*") {
    paint(true);
  } else if (op == "n") {
    paint(false);
  } else if (op == "Do" && !operands.empty() && !operands.back().name.empty()) {
    drawForm(operands.back().name);
  } else if (op == "BI") {
    skipInlineImage();
  }
  operands.clear();
}

void Scanner::run() {
  while (i < s.size() && *budget > 0) {
    --*budget;
    const char c = s[i];
    if (isSpace(c)) {
      ++i;
    } else if (c == '%') {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    } else if (c == '(') {
      ++i;
      skipString();
      operands.push_back({});
    } else if (c == '<' && i + 1 < s.size() && s[i + 1] != '<') {
      const auto end = s.find('>', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      operands.push_back({});
    } else if (c == '/') {
      std::size_t k = i + 1;
      while (k < s.size() && !isSpace(s[k]) && !isDelimiter(s[k])) ++k;
      operands.push_back({false, 0, std::string(s.substr(i + 1, k - i - 1))});
      i = k;
    } else if (isDelimiter(c)) {
      ++i;  // << >> [ ] { } ) : structure of operands we do not use
      if (c != '[' && c != ']') operands.push_back({});
    } else {
      std::size_t k = i;
      while (k < s.size() && !isSpace(s[k]) && !isDelimiter(s[k])) ++k;
      const std::string word(s.substr(i, k - i));
      i = k;
      char* end = nullptr;
      const double v = std::strtod(word.c_str(), &end);
      const bool numeric = (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-' || word[0] == '+' || word[0] == '.') &&
                           end == word.c_str() + word.size() && std::isfinite(v);
      if (numeric) operands.push_back({true, v, {}});
      else operate(word);
      if (operands.size() > 64) operands.erase(operands.begin(), operands.end() - 64);
    }
  }
}

constexpr double kAxisTolerance = 0.5;  // points off the axis that still count as parallel
constexpr double kMergeGap = 3.0;       // dashes closer than this are one rule
constexpr double kSameLine = 0.8;       // rules closer than this are the same line

std::vector<Rule> merge(std::vector<Rule> rules) {
  std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.at != b.at ? a.at < b.at : a.from < b.from; });
  // Group by coordinate (within kSameLine), then join overlapping or nearly touching pieces.
  std::vector<Rule> out;
  std::size_t g = 0;
  while (g < rules.size()) {
    std::size_t e = g + 1;
    while (e < rules.size() && rules[e].at - rules[g].at <= kSameLine) ++e;
    std::vector<Rule> group(rules.begin() + static_cast<long>(g), rules.begin() + static_cast<long>(e));
    std::sort(group.begin(), group.end(), [](const Rule& a, const Rule& b) { return a.from < b.from; });
    double at = 0;
    for (const auto& r : group) at += r.at;
    at /= static_cast<double>(group.size());
    Rule cur{at, group[0].from, group[0].to};
    for (std::size_t k = 1; k < group.size(); ++k) {
      if (group[k].from <= cur.to + kMergeGap) {
        cur.to = std::max(cur.to, group[k].to);
      } else {
        out.push_back(cur);
        cur = {at, group[k].from, group[k].to};
      }
    }
    out.push_back(cur);
    g = e;
  }
  return out;
}

// How much of [from, to] the rules at `at` cover, 0..1.
double coverage(const std::vector<Rule>& rules, double at, double from, double to) {
  double covered = 0;
  for (const auto& r : rules) {
    if (std::abs(r.at - at) > kSameLine) continue;
    covered += std::max(0.0, std::min(r.to, to) - std::max(r.from, from));
  }
  return to > from ? covered / (to - from) : 0;
}

}  // namespace

std::vector<UserSegment> paintedSegments(std::string_view content, const Matrix& ctm, const XObjectLookup& lookup) {
  std::vector<UserSegment> out;
  std::size_t budget = kTokenBudget;
  Scanner scanner{content, 0, {}, {}, ctm, {}, 0, 0, 0, 0, out, lookup, 0, &budget};
  scanner.run();
  return out;
}

RuledLines ruledLines(const std::vector<UserSegment>& segments, const std::function<void(double, double, double&, double&)>& toDisplayed) {
  RuledLines lines;
  std::vector<Rule> h, v;
  for (const auto& s : segments) {
    double x1, y1, x2, y2;
    toDisplayed(s.x1, s.y1, x1, y1);
    toDisplayed(s.x2, s.y2, x2, y2);
    if (!std::isfinite(x1) || !std::isfinite(y1) || !std::isfinite(x2) || !std::isfinite(y2)) continue;
    if (std::abs(y1 - y2) <= kAxisTolerance && std::abs(x1 - x2) >= 1) h.push_back({(y1 + y2) / 2, std::min(x1, x2), std::max(x1, x2)});
    else if (std::abs(x1 - x2) <= kAxisTolerance && std::abs(y1 - y2) >= 1) v.push_back({(x1 + x2) / 2, std::min(y1, y2), std::max(y1, y2)});
  }
  lines.horizontal = merge(std::move(h));
  lines.vertical = merge(std::move(v));
  return lines;
}

std::optional<typeset::Box> findCell(const RuledLines& lines, double x, double y) {
  constexpr double slack = 1.0;
  constexpr double enough = 0.9;
  auto across = [&](const std::vector<Rule>& rules, double along, double pos, bool before) {
    std::vector<const Rule*> found;
    for (const auto& r : rules) {
      if (along < r.from - slack || along > r.to + slack) continue;
      if (before ? r.at < pos : r.at > pos) found.push_back(&r);
    }
    std::sort(found.begin(), found.end(), [&](const Rule* a, const Rule* b) { return std::abs(a->at - pos) < std::abs(b->at - pos); });
    if (found.size() > 12) found.resize(12);
    return found;
  };
  const auto tops = across(lines.horizontal, x, y, true);
  const auto bottoms = across(lines.horizontal, x, y, false);
  for (const Rule* top : tops) {
    for (const Rule* bottom : bottoms) {
      if (bottom->at - top->at < 2) continue;
      // The nearest vertical rules that run the whole height of this row.
      // The rules are sorted by position: each line's pieces are neighbours, measured once (a
      // dense page has thousands of pieces, and this runs for every candidate row).
      const Rule* left = nullptr;
      const Rule* right = nullptr;
      const auto& v = lines.vertical;
      for (std::size_t g = 0; g < v.size();) {
        std::size_t e = g + 1;
        double covered = std::max(0.0, std::min(v[g].to, bottom->at) - std::max(v[g].from, top->at));
        while (e < v.size() && v[e].at - v[g].at <= kSameLine) {
          covered += std::max(0.0, std::min(v[e].to, bottom->at) - std::max(v[e].from, top->at));
          ++e;
        }
        const Rule& r = v[g];
        g = e;
        if (covered < enough * (bottom->at - top->at)) continue;
        if (r.at < x && (!left || r.at > left->at)) left = &r;
        if (r.at > x && (!right || r.at < right->at)) right = &r;
      }
      if (!left || !right || right->at - left->at < 2) continue;
      if (coverage(lines.horizontal, top->at, left->at, right->at) < enough) continue;
      if (coverage(lines.horizontal, bottom->at, left->at, right->at) < enough) continue;
      return typeset::Box{left->at, top->at, right->at - left->at, bottom->at - top->at};
    }
  }
  return std::nullopt;
}

}  // namespace kakanai::designer
