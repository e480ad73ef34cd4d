// Sample residents for the designer's preview and for `forms check`: the shared test cases (a
// residents.json of {residents: [{id, name, address, birthDate, sex}]}) and a few built-in
// extremes (the longest names and addresses a form must take). Made-up people only, but held as
// Person (SecretText) like any resident so the fill path is the real one.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/person.h"

namespace kakanai::designer {

struct SampleResident {
  std::string id;
  std::string note;
  Person person;
};

// The built-in extremes: long names (Japanese and Latin), the longest realistic address.
std::vector<SampleResident> builtInSamples();
// A residents.json file; definition_invalid naming the file when it is not that shape.
Result<std::vector<SampleResident>> loadSampleResidents(const std::string& path);

}  // namespace kakanai::designer
