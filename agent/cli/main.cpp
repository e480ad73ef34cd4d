// kakanai-agent command line: support commands for staff checking a reader, also used by tests.
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>

#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "card/card_session.h"
#include "cli/commands.h"
#include "card/verification_b.h"
#include "cli/template_command.h"
#include "fonts/font_set.h"
#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"
#include "core/log.h"
#include "server/agent_server.h"
#include "server/protocol_description.h"
#include "server/protocol_shapes.h"

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include "card/pcsc_reader_system.h"
#include "core/json_text.h"
#include "core/paths.h"
#include "attendance/attendance_store.h"
#include "attendance/central_sync.h"
#include "core/iso_time.h"
#include "core/person.h"
#include "virtualcard/card_profile.h"
#include "virtualcard/demo_staff_cards.h"
#include "virtualcard/my_number_card_emulator.h"
#include "virtualcard/virtual_reader_system.h"

namespace {

using namespace kakanai;

struct Options {
  std::string command;
  std::optional<std::string> reader;
  std::optional<std::string> dataDir;
  std::optional<std::string> cardProfile;
  bool demo = false;
  bool allowLastTry = false;
  bool includeMyNumber = false;
  bool allowMyNumber = false;
  bool trustTestIssuer = false;
  bool verificationB = false;
  bool cardSignature = false;
  card::ExtendedLengthPolicy extendedLength = card::ExtendedLengthPolicy::Reported;
  bool json = false;
  int seconds = 10;
  std::string form, personFile, valuesFile, date, output;
};

int usage() {
  std::fprintf(stderr,
               "usage: kakanai-agent COMMAND [options]\n"
               "commands:\n"
               "  serve [--config FILE] [--port N] [--allow-origin URL]... [--token T] [--demo] [--demo-page]\n"
               "        [--card-profile FILE] [--data-dir DIR] [--log-level L] [--allow-my-number]\n"
               "        [--attendance-store FILE] [--trust-test-issuer]\n"
               "                          run the agent: the WebSocket server for the counter system\n"
               "  readers                 list readers and whether a card is present\n"
               "  card-status             {present, kind, pinRetries, pinState, verificationBRetries} (no try used)\n"
               "  card-read               read the four basic items; PIN (or, with --verification-b, B)\n"
               "                          from the terminal (no echo) or standard input\n"
               "  watch                   print reader and card events as JSON lines\n"
               "  data-dir                print the data directory in use\n"
               "  attendance export --from YYYY-MM-DD --to YYYY-MM-DD [--staff ID] [--config FILE]\n"
               "                          [--attendance-store FILE]   attendance records as CSV (UTF-8)\n"
               "  attendance migrate [--postgres CONNINFO] [--migrations DIR] [--config FILE]\n"
               "                          create or update the central PostgreSQL schema\n"
               "  attendance sync [--postgres CONNINFO] [--config FILE]\n"
               "                          push this PC's pending records to PostgreSQL now\n"
               "  forms --json            the forms this agent can fill, as the protocol's forms.list\n"
               "  forms check [--data-dir DIR] [--residents FILE]... [--date YYYY-MM-DD] [ID...] [--json]\n"
               "                          check definitions: schema, template, boxes, overlaps, choices, a fill\n"
               "                          with every sample resident (overflow, glyph_missing); exit 1 on problems\n"
               "  designer --data-dir DIR [--port N] [--residents FILE]...\n"
               "                          the form designer (loopback), http://localhost:N/ (default 47801)\n"
               "  fill --form ID --person person.json [--values values.json] [--date YYYY-MM-DD] -o out.pdf\n"
               "                          fill a form; prints the warnings as JSON\n"
               "  template import IN.pdf [-o OUT.pdf] [--drop-signature] [--json]\n"
               "                          normalise a municipality's PDF once (repair, decrypt, appearances)\n"
               "                          or say why it cannot be used; default OUT: templates/<name>\n"
               "  template inspect FILE.pdf [--json]\n"
               "                          pages (mm, rotation), AcroForm fields (full names, boxes), flags\n"
               "options:\n"
               "  --reader NAME           reader to use (default: the first with a card)\n"
               "  --allow-last-try        let card-read use the last try of the PIN (or of B)\n"
               "  --verification-b        card-read with verification number B instead of the PIN: reads\n"
               "                          'YYYY-MM-DD EXPIRY CODE' (birth date, expiry year, security code as\n"
               "                          printed on the card) or the 14 digits, without echo\n"
               "  --card-signature        card-read also proves the card genuine (its PIN-less signature)\n"
               "  --extended-length reported|never|assumed\n"
               "                          extended-length reads: where the reader driver reports support\n"
               "                          (default), never, or assumed for every reader (the card must\n"
               "                          advertise it too; a refusal falls back to short reads)\n"
               "  --include-my-number     ask for the individual number (needs --allow-my-number too)\n"
               "  --allow-my-number       configuration: the individual number may be read\n"
               "  --trust-test-issuer     accept test issuers' signatures as authentic\n"
               "  --demo                  use the built-in virtual card instead of PC/SC\n"
               "  --card-profile FILE     profile for the built-in virtual card (with --demo)\n"
               "  --seconds N             how long watch runs (default 10)\n"
               "  --data-dir DIR          data directory\n");
  return 2;
}

std::optional<Options> parse(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Options o;
  o.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (a == "--reader") {
      if (!(o.reader = value())) return std::nullopt;
    } else if (a == "--data-dir") {
      if (!(o.dataDir = value())) return std::nullopt;
    } else if (a == "--card-profile") {
      if (!(o.cardProfile = value())) return std::nullopt;
    } else if (a == "--seconds") {
      auto v = value();
      if (!v) return std::nullopt;
      o.seconds = std::atoi(v->c_str());
    } else if (a == "--form" || a == "--person" || a == "--values" || a == "--date" || a == "-o") {
      auto v = value();
      if (!v) return std::nullopt;
      (a == "--form" ? o.form : a == "--person" ? o.personFile : a == "--values" ? o.valuesFile : a == "--date" ? o.date : o.output) = *v;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--demo") {
      o.demo = true;
    } else if (a == "--allow-last-try") {
      o.allowLastTry = true;
    } else if (a == "--include-my-number") {
      o.includeMyNumber = true;
    } else if (a == "--allow-my-number") {
      o.allowMyNumber = true;
    } else if (a == "--trust-test-issuer") {
      o.trustTestIssuer = true;
    } else if (a == "--verification-b") {
      o.verificationB = true;
    } else if (a == "--card-signature") {
      o.cardSignature = true;
    } else if (a == "--extended-length") {
      auto v = value();
      if (!v || (*v != "reported" && *v != "never" && *v != "assumed")) return std::nullopt;
      o.extendedLength = *v == "never"     ? card::ExtendedLengthPolicy::Never
                         : *v == "assumed" ? card::ExtendedLengthPolicy::Assumed
                                           : card::ExtendedLengthPolicy::Reported;
    } else {
      return std::nullopt;
    }
  }
  return o;
}

// {"error":{"code","message"[,"retriesLeft"][,"sw"]}} on stdout; the diagnostic (never
// personal data) on stderr for the engineer.
int printError(const Error& e) {
  Poco::JSON::Object err = server::errorObject(e);
  if (!e.credential.empty()) err.set("credential", e.credential);
  Poco::JSON::Object out;
  out.set("error", err);
  out.stringify(std::cout);
  std::cout << std::endl;
  if (!e.diagnostic.empty()) std::fprintf(stderr, "kakanai-agent: %s\n", e.diagnostic.c_str());
  return 1;
}

Result<std::unique_ptr<virtualcard::VirtualReaderSystem>> openVirtualReaders(const Options& o, bool withAttendanceReader) {
  virtualcard::CardProfile profile = virtualcard::sampleCardProfile();
  if (o.cardProfile) {
    auto loaded = virtualcard::loadCardProfile(*o.cardProfile);
    if (!loaded) return loaded.error();
    profile = std::move(*loaded);
  }
  auto emulator = virtualcard::MyNumberCardEmulator::create(profile);
  if (!emulator) return emulator.error();
  return virtualcard::makeVirtualReaderSystem(std::move(*emulator), withAttendanceReader);
}

Result<std::unique_ptr<card::ReaderSystem>> openReaders(const Options& o) {
  if (!o.demo) return card::makePcscReaderSystem(o.extendedLength);
  auto readers = openVirtualReaders(o, false);
  if (!readers) return readers.error();
  return std::unique_ptr<card::ReaderSystem>(std::move(*readers));
}

Result<std::string> chooseReader(card::ReaderSystem& readers, const Options& o) {
  if (o.reader) return *o.reader;
  auto list = readers.listReaders();
  if (!list) return list.error();
  if (list->empty()) return Error::of(ErrorCode::NoReader);
  for (const auto& r : *list) {
    if (r.cardPresent) return r.name;
  }
  return list->front().name;
}

// The PIN, from the terminal without echo or from standard input. Never echoed or logged.
SecretText readPin(const char* prompt = "暗証番号（4桁）: ") {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  SecretText pin;
  char c;
  while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n' && pin.size() < 64) {
    if (c != '\r') pin.append(std::string_view(&c, 1));
  }
  c = 0;
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  return pin;
}

int cmdReaders(card::ReaderSystem& readers) {
  auto list = readers.listReaders();
  if (!list) return printError(list.error());
  Poco::JSON::Array arr;
  for (const auto& r : *list) {
    Poco::JSON::Object o;
    o.set("name", r.name);
    o.set("cardPresent", r.cardPresent);
    arr.add(o);
  }
  Poco::JSON::Object out;
  out.set("readers", arr);
  out.stringify(std::cout);
  std::cout << std::endl;
  return 0;
}

int cmdCardStatus(card::ReaderSystem& readers, const Options& o) {
  auto reader = chooseReader(readers, o);
  if (!reader) return printError(reader.error());
  auto status = card::readCardStatus(readers, *reader, true);
  if (!status) return printError(status.error());
  Poco::JSON::Object result = server::cardStatusResult(*status);
  // Not yet in the protocol's card.status (it goes in with the server's handlers): the CLI shows them.
  if (status->kind == card::CardKind::MyNumber) {
    result.set("pinState", std::string(status->pinState));
    if (status->verificationBRetries) result.set("verificationBRetries", *status->verificationBRetries);
  }
  result.stringify(std::cout);
  std::cout << std::endl;
  return 0;
}

// Verification number B from the terminal: "YYYY-MM-DD EXPIRY CODE" as printed on the card face,
// or the 14 digits. Empty when it is neither (refused as pin_format before any card is touched).
SecretText readVerificationB() {
  SecretText line = readPin("照合番号B（生年月日 YYYY-MM-DD、有効期限の年、セキュリティコード、または14桁）: ");
  const std::string_view v = line.view();
  if (v.find(' ') == std::string_view::npos) return line;
  const auto a = v.find(' '), b = v.find(' ', a + 1);
  if (b == std::string_view::npos || v.find(' ', b + 1) != std::string_view::npos) return {};
  auto digits = card::verificationBFromCardFace(v.substr(0, a), v.substr(a + 1, b - a - 1), v.substr(b + 1));
  return digits ? std::move(*digits) : SecretText();
}

int cmdCardRead(card::ReaderSystem& readers, const Options& o) {
  card::CardReadRequest request;
  if (o.verificationB) {
    request.credential = card::Credential::VerificationB;
    request.verificationB = readVerificationB();
  } else {
    request.pin = readPin();
  }
  request.allowLastTry = o.allowLastTry;
  request.includeMyNumber = o.includeMyNumber;
  request.cardSignature = o.cardSignature;
  // A malformed PIN or B (or the individual number asked for with B) is refused before a reader
  // is even chosen: nothing reaches a card.
  if (auto checked = card::checkReadRequest(request); !checked.ok()) return printError(checked.error());
  auto reader = chooseReader(readers, o);
  if (!reader) return printError(reader.error());
  card::CardPolicy policy;
  policy.allowMyNumber = o.allowMyNumber;
  policy.trust = card::IssuerTrustStore::builtIn(o.trustTestIssuer || o.demo);
  auto outcome = card::readMyNumberCard(readers, *reader, request, policy);
  request.pin.clear();
  request.verificationB.clear();
  if (!outcome) return printError(outcome.error());
  SecretText json;
  json.append("{\"person\":");
  appendPersonJson(json, *outcome->session.person());
  json.append(outcome->session.authentic() ? ",\"authentic\":true" : ",\"authentic\":false");
  if (o.cardSignature) json.append(outcome->session.cardSignature() ? ",\"cardSignature\":true" : ",\"cardSignature\":false");
  json.append(",\"apdus\":" + std::to_string(outcome->apdus) + "}\n");
  std::fwrite(json.view().data(), 1, json.size(), stdout);
  std::fflush(stdout);
  outcome->session.clear();
  return 0;
}

int cmdWatch(card::ReaderSystem& readers, const Options& o) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(o.seconds);
  std::map<std::string, card::CardKind> kinds;
  while (std::chrono::steady_clock::now() < end) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    auto events = readers.waitForEvents(std::min(left, std::chrono::milliseconds(1000)));
    if (!events) {
      std::fprintf(stderr, "kakanai-agent: %s\n", events.error().diagnostic.c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    for (const auto& e : *events) {
      if (e.kind == card::ReaderEventKind::CardInserted) {
        auto status = card::readCardStatus(readers, e.reader);
        kinds[e.reader] = status ? status->kind : card::CardKind::Other;
      }
      std::cout << server::readerEventJson(e, kinds[e.reader]);
      if (e.kind == card::ReaderEventKind::CardRemoved) kinds.erase(e.reader);
      std::cout << std::endl;
    }
  }
  return 0;
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string today() { return localDate(WallClock::now()); }

int cmdForms(const Options& o) {
  const std::string dataDir = resolveDataDirectory(o.dataDir);
  auto catalog = counter::loadFormCatalog(dataDir);
  if (!catalog) return printError(catalog.error());
  const Poco::JSON::Object out = server::formsListResult(*catalog);
  out.stringify(std::cout);
  std::cout << std::endl;
  return 0;
}

// person.json: {name, address, birthDate, sex[, myNumber]} as the protocol's `person`.
Result<Person> readPerson(const std::string& path) {
  Person p;
  try {
    Poco::JSON::Parser parser;
    auto o = parser.parse(readText(path)).extract<Poco::JSON::Object::Ptr>();
    p.name = SecretText(o->getValue<std::string>("name"));
    p.address = SecretText(o->optValue<std::string>("address", ""));
    p.birthDate = SecretText(o->getValue<std::string>("birthDate"));
    auto sex = parseSexName(o->optValue<std::string>("sex", "unspecified"));
    if (!sex || !isIsoDate(p.birthDate.view())) return Error::of(ErrorCode::BadRequest, "person: birthDate or sex malformed");
    p.sex = *sex;
    if (o->has("myNumber")) p.myNumber = SecretText(o->getValue<std::string>("myNumber"));
  } catch (...) {
    return Error::of(ErrorCode::BadRequest, "person: not {name, address, birthDate, sex}");
  }
  return p;
}

int cmdFill(const Options& o) {
  if (o.form.empty() || o.personFile.empty() || o.output.empty()) return usage();
  const std::string dataDir = resolveDataDirectory(o.dataDir);
  auto fontSet = fonts::FontSet::load(dataDir + "/fonts/manifest.json");
  if (!fontSet) return printError(fontSet.error());
  auto forms = forms::loadFormDirectory(dataDir + "/forms");
  if (!forms) return printError(forms.error());
  auto form = std::find_if(forms->begin(), forms->end(), [&](const auto& f) { return f.id == o.form; });
  if (form == forms->end()) return printError(Error::of(ErrorCode::UnknownForm));
  auto person = readPerson(o.personFile);
  if (!person) return printError(person.error());
  forms::FillRequest request;
  request.person = &*person;
  request.date = o.date.empty() ? today() : o.date;
  if (!isIsoDate(request.date)) return printError(Error::of(ErrorCode::BadRequest, "--date must be YYYY-MM-DD"));
  if (!o.valuesFile.empty()) {
    try {
      Poco::JSON::Parser parser;
      auto v = parser.parse(readText(o.valuesFile)).extract<Poco::JSON::Object::Ptr>();
      for (const auto& [k, val] : *v) request.values[k] = val.convert<std::string>();
    } catch (...) {
      return printError(Error::of(ErrorCode::BadRequest, "values: not a JSON object"));
    }
  }
  auto filled = forms::fillForm(*form, dataDir + "/templates", **fontSet, request);
  if (!filled) return printError(filled.error());
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(filled->pdf.data()), static_cast<std::streamsize>(filled->pdf.size()));
  if (!out) return printError(Error::of(ErrorCode::Internal, "cannot write " + o.output));
  const Poco::JSON::Array warnings = server::warningsArray(filled->warnings);
  Poco::JSON::Array layout;
  for (const auto& f : filled->layout) {
    Poco::JSON::Object lo;
    lo.set("field", f.name);
    lo.set("page", f.page);
    Poco::JSON::Array box, ink;
    for (double v : {f.box.x, f.box.y, f.box.width, f.box.height}) box.add(v);
    for (double v : {f.ink.x, f.ink.y, f.ink.width, f.ink.height}) ink.add(v);
    lo.set("box", box);
    lo.set("ink", ink);
    layout.add(lo);
  }
  Poco::JSON::Object result;
  result.set("pages", filled->pages);
  result.set("warnings", warnings);
  result.set("layout", layout);
  result.stringify(std::cout);
  std::cout << std::endl;
  return 0;
}

}  // namespace

attendance::AttendanceSettings attendanceSettings(const config::AgentConfig& c) {
  attendance::AttendanceSettings a;
  a.storePath = c.attendance.store.value_or(config::defaultAttendanceStorePath());
  // The store's folder holds staff records only; it is private to the agent's user.
  std::error_code ec;
  const auto folder = std::filesystem::path(a.storePath).parent_path();
  if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
    std::filesystem::create_directories(folder, ec);
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
  }
  a.rules.dayStartsAt = parseClockTime(c.attendance.dayStartsAt).value_or(std::chrono::minutes(0));
  a.rules.doubleTapWindow = std::chrono::milliseconds(static_cast<long long>(c.attendance.doubleTapSeconds * 1000));
  a.strong = c.attendance.strong;
  a.expiryWarning = std::chrono::hours(24 * c.attendance.expiryWarningDays);
  return a;
}

// attendance export|migrate|sync: the office's tools around the attendance store.
int cmdAttendance(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string sub = argv[2];
  std::vector<std::string> configArgs;
  std::optional<std::string> from, to, staff, postgres, migrations;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    if (a == "--from" && hasValue) {
      from = argv[++i];
    } else if (a == "--to" && hasValue) {
      to = argv[++i];
    } else if (a == "--staff" && hasValue) {
      staff = argv[++i];
    } else if (a == "--postgres" && hasValue) {
      postgres = argv[++i];
    } else if (a == "--migrations" && hasValue) {
      migrations = argv[++i];
    } else if ((a == "--config" || a == "--attendance-store" || a == "--data-dir") && hasValue) {
      configArgs.push_back(a);
      configArgs.push_back(argv[++i]);
    } else {
      return usage();
    }
  }
  auto config = config::loadAgentConfig(configArgs);
  if (!config) return printError(config.error());
  if (sub == "migrate") {
    if (!postgres) postgres = config->attendance.postgres;
    if (!postgres) return usage();
    const std::string dir = migrations.value_or(resolveDataDirectory(config->dataDir) + "/db/postgresql");
    auto applied = attendance::migrateCentralSchema(*postgres, dir);
    if (!applied) return printError(applied.error());
    for (const auto& name : *applied) std::cout << "applied " << name << "\n";
    return 0;
  }
  auto store = attendance::AttendanceStore::open(config->attendance.store.value_or(config::defaultAttendanceStorePath()));
  if (!store) return printError(store.error());
  if (sub == "export") {
    if (!from || !to || !isIsoDate(*from) || !isIsoDate(*to)) return usage();
    auto records = (*store)->list(*from, *to, staff);
    if (!records) return printError(records.error());
    // RFC 4180, UTF-8 with a BOM so that Excel on a municipal PC opens the Japanese names right.
    auto field = [](const std::string& v) {
      std::string out = "\"";
      for (char ch : v) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return out + "\"";
    };
    std::cout << "\xEF\xBB\xBFstaff_id,display_name,kind,at,work_day,reader\r\n";
    for (const auto& r : *records) {
      std::cout << field(r.staffId) << ',' << field(r.displayName) << ',' << attendance::tapKindName(r.kind) << ',' << r.at << ',' << r.workDay << ','
                << field(r.reader) << "\r\n";
    }
    return 0;
  }
  if (sub == "sync") {
    if (!postgres) postgres = config->attendance.postgres;
    if (!postgres) return usage();
    attendance::CentralSyncSettings settings;
    settings.connection = *postgres;
    attendance::StorePtr shared = std::move(*store);
    attendance::CentralSync sync([shared]() -> Result<attendance::StorePtr> { return shared; }, settings);
    auto pushed = sync.pushPending();
    if (!pushed) return printError(pushed.error());
    std::cout << "pushed " << *pushed << "\n";
    return 0;
  }
  return usage();
}


// The agent proper: the WebSocket server until SIGINT/SIGTERM.
int cmdServe(int argc, char** argv) {
  std::vector<std::string> args(argv + 2, argv + argc);
  auto config = config::loadAgentConfig(args);
  if (!config) {
    std::fprintf(stderr, "kakanai-agent: %s\n", config.error().diagnostic.c_str());
    return 2;
  }
  setLogLevel(config->logLevel);
  server::AgentServices services;
  services.config = *config;
  const std::string dataDir = resolveDataDirectory(config->dataDir);
  Options readerOptions;
  readerOptions.demo = config->demo;
  readerOptions.cardProfile = config->cardProfile;
  virtualcard::DemoStaffWallet staffWallet;
  if (config->demo) {
    auto readers = openVirtualReaders(readerOptions, true);
    if (!readers) {
      std::fprintf(stderr, "kakanai-agent: %s\n", readers.error().diagnostic.c_str());
      return 2;
    }
    virtualcard::VirtualReaderSystem* virtualReaders = readers->get();
    services.demoTap = [virtualReaders, &staffWallet](const std::string& name) -> Status {
      auto card = staffWallet.card(name);
      if (!card) return card.error();
      return virtualReaders->tapOnAttendanceReader(*card);
    };
    services.readers = std::move(*readers);
  } else {
    services.readers = card::makePcscReaderSystem();
  }
  card::CardPolicy policy;
  policy.allowMyNumber = config->allowMyNumber;
  policy.trust = card::IssuerTrustStore::builtIn(config->trustTestIssuer || config->demo);
  auto catalog = counter::loadFormCatalog(dataDir);
  if (!catalog) {
    std::fprintf(stderr, "kakanai-agent: %s\n", catalog.error().diagnostic.c_str());
    return 2;
  }
  auto sessions = std::make_unique<counter::ResidentSessions>(
      std::chrono::milliseconds(static_cast<long long>(config->sessionMinutes * 60000)), std::chrono::steady_clock::now,
      static_cast<std::size_t>(config->maxSessionsPerOrigin));
  services.counter = std::make_unique<counter::CounterService>(*services.readers, config->roles(), std::move(policy), std::move(*catalog),
                                                               std::move(sessions), std::make_unique<printing::PrintService>(config->printers));
  services.counter->setDateToleranceDays(config->applicationDateToleranceDays);
  std::string webDir = dataDir + "/web";
  if (!std::filesystem::is_directory(webDir)) webDir = dataDir + "/agent/web";
  services.attendance = std::make_unique<attendance::AttendanceService>(*services.readers, attendanceSettings(*config));
  if (config->attendance.postgres) {
    attendance::CentralSyncSettings sync;
    sync.connection = *config->attendance.postgres;
    auto* service = services.attendance.get();
    services.centralSync = std::make_unique<attendance::CentralSync>([service] { return service->store(); }, sync);
  }

  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);  // every thread started below inherits this
  server::AgentServer agent(services, webDir);
  auto started = agent.start();
  if (!started) {
    std::fprintf(stderr, "kakanai-agent: %s\n", started.error().diagnostic.c_str());
    return 2;
  }
  if (config->demoPage) {
    logLine(LogLevel::Info, "demo counter page: http://localhost:" + std::to_string(config->port) + "/");
  }
  int sig = 0;
  sigwait(&stopSignals, &sig);
  logLine(LogLevel::Info, "stopping; sessions wiped");
  agent.stop();
  return 0;
}

// No core dump, and no ptrace or /proc/PID/mem by other processes of the same user: serve,
// card-read and fill hold residents' data and PINs, card-status and watch talk to their cards,
// attendance to staff records. Done first, for every subcommand, before any of it is read.
void hardenProcess() {
  const rlimit noCore{0, 0};
  setrlimit(RLIMIT_CORE, &noCore);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int main(int argc, char** argv) {
  hardenProcess();
  if (argc >= 2 && std::string(argv[1]) == "serve") return cmdServe(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "attendance") return cmdAttendance(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "template") return cli::cmdTemplate(argc, argv);
  if (argc >= 3 && std::string(argv[1]) == "forms" && std::string(argv[2]) == "check") return cli::formsCheckCommand(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "designer") return cli::designerCommand(argc, argv);
  if (argc == 3 && std::string(argv[1]) == "protocol" && std::string(argv[2]) == "--json") {
    server::protocolDescription().stringify(std::cout);
    std::cout << std::endl;
    return 0;
  }
  const auto options = parse(argc, argv);
  if (!options) return usage();
  const Options& o = *options;
  if (o.command == "forms") return cmdForms(o);
  if (o.command == "fill") return cmdFill(o);
  if (o.command == "data-dir") {
    std::cout << resolveDataDirectory(o.dataDir) << std::endl;
    return 0;
  }
  if (o.command != "readers" && o.command != "card-status" && o.command != "card-read" && o.command != "watch") {
    return usage();
  }
  auto readers = openReaders(o);
  if (!readers) return printError(readers.error());
  if (o.command == "readers") return cmdReaders(**readers);
  if (o.command == "card-status") return cmdCardStatus(**readers, o);
  if (o.command == "card-read") return cmdCardRead(**readers, o);
  return cmdWatch(**readers, o);
}
