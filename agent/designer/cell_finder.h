// The printed cell around a point of a template page: the designer's "click inside a cell and the
// box takes it". Ruled lines are read from the page's content stream (and the form XObjects it
// draws): the path operators re, m, l, h under the CTM (q, Q, cm), painted by any stroke or fill
// (a thin filled rectangle is how many tools draw a rule), turned to the displayed page with its
// /Rotate and CropBox. Collinear pieces closer than 3 pt merge, so dashed rules count as lines.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "typeset/field_layout.h"

namespace kakanai::designer {

struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
};

// A straight piece of a painted path, in the page's default user space.
struct UserSegment {
  double x1, y1, x2, y2;
};

// A form XObject a content stream draws with Do: its content, its /Matrix, and how to find the
// XObjects its own resources name.
struct FormXObject;
using XObjectLookup = std::function<std::optional<FormXObject>(const std::string& name)>;
struct FormXObject {
  std::string content;
  Matrix matrix;
  XObjectLookup resources;
};

// Every straight piece of every painted path (curves are skipped). Malformed content is read as
// far as it goes; at most 200,000 pieces, form XObjects 8 deep.
std::vector<UserSegment> paintedSegments(std::string_view content, const Matrix& ctm = {}, const XObjectLookup& lookup = {});

// A horizontal rule (at = y, from..to along x) or a vertical one (at = x, from..to along y), in
// points on the displayed page, origin top-left, y down.
struct Rule {
  double at, from, to;
};
struct RuledLines {
  double width = 0, height = 0;  // the displayed page
  std::vector<Rule> horizontal, vertical;
};

// The axis-parallel pieces, turned to displayed coordinates by `toDisplayed`, merged.
RuledLines ruledLines(const std::vector<UserSegment>& segments, const std::function<void(double, double, double&, double&)>& toDisplayed);

// Each page of a template (template_invalid / template_encrypted when it does not open).
Result<std::vector<RuledLines>> readRuledLines(const std::string& templatePath);

// The smallest ruled rectangle around (x, y) (displayed points) whose four sides are ruled along at
// least 90 % of their length; nullopt when the point is not inside one.
std::optional<typeset::Box> findCell(const RuledLines& lines, double x, double y);

}  // namespace kakanai::designer
