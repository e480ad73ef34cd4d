// Small PDFs written byte by byte for the template tests (so each test says exactly what the
// template holds), and what poppler sees of a PDF: rendered pixels and word boxes.
#pragma once

#include <png.h>

#include <cstdio>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace kakanai::testing::pdf {

// A stream object's body with its /Length.
inline std::string stream(const std::string& dict, const std::string& data) {
  return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

// Object i + 1 is bodies[i]; object 1 is the catalog. A correct classic xref table.
inline std::string buildPdf(const std::vector<std::string>& bodies, const std::string& trailerExtra = "") {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + bodies[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(bodies.size() + 1) + "\n0000000000 65535 f\r\n";
  char line[32];
  for (std::size_t o : offsets) {
    std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", o);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(bodies.size() + 1) + " /Root 1 0 R " + trailerExtra + ">>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// Grey pixels of a PNG (8-bit grey or RGB), via libpng.
inline std::vector<std::uint8_t> readPng(const std::string& path, unsigned& w, unsigned& h) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return {};
  image.format = PNG_FORMAT_GRAY;
  std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) return {};
  w = image.width;
  h = image.height;
  return pixels;
}

struct Word {
  int page = 0;
  std::string text;
  double xMin = 0, yMin = 0, xMax = 0, yMax = 0;  // points, displayed page (CropBox), top-left origin
};

// `pdftotext -bbox` output, one entry per word.
inline std::vector<Word> wordsOf(const std::string& html) {
  std::vector<Word> out;
  int page = -1;
  static const std::regex word(R"re(<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>)re");
  std::size_t pos = 0;
  while (pos < html.size()) {
    const std::size_t nextPage = html.find("<page ", pos);
    const std::size_t nextWord = html.find("<word ", pos);
    if (nextWord == std::string::npos) break;
    if (nextPage != std::string::npos && nextPage < nextWord) {
      ++page;
      pos = nextPage + 1;
      continue;
    }
    const std::size_t end = html.find("</word>", nextWord);
    std::smatch m;
    const std::string one = html.substr(nextWord, end + 7 - nextWord);
    if (std::regex_match(one, m, word)) {
      out.push_back({page, m[5], std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])});
    }
    pos = end + 7;
  }
  return out;
}

}  // namespace kakanai::testing::pdf
