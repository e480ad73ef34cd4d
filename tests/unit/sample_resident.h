// The resident the in-process card tests put on the reader: kanji outside JIS X 0208's common
// set in the name (髙, 﨑), full-width digits in the address, the first day of 平成 as birth date.
#pragma once

#include "virtualcard/card_profile.h"

namespace kakanai::testing {

inline virtualcard::CardProfile sampleResidentCard() {
  virtualcard::CardProfile p;
  p.textAssist.pin = "2468";
  p.textAssist.name = "髙橋　﨑子";
  p.textAssist.address = "大阪府大阪市北区梅田一丁目３番１号";
  p.textAssist.birthDate = "19890108";
  p.textAssist.sex = "2";
  p.textAssist.myNumber = "123456789018";
  return p;
}

}  // namespace kakanai::testing
