#include "odoolink/contract/registry.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

error fs_error(std::error_code ec, const std::string& what) { return error(ec, what + ": " + ec.message()); }

result<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return error(std::make_error_code(std::errc::io_error), "cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return error(std::make_error_code(std::errc::io_error), "cannot read " + p.string());
  return s.str();
}

result<void> write_text(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return error(std::make_error_code(std::errc::io_error), "cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) return error(std::make_error_code(std::errc::io_error), "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec) return fs_error(ec, "cannot rename " + tmp.string());
  return success();
}

}  // namespace

std::vector<breaking_change> registry::check(const contract& candidate) const {
  const auto it = subjects_.find(candidate.subject());
  if (it == subjects_.end() || it->second.versions.empty()) return {};
  return check_compatibility(it->second.versions, candidate, mode(candidate.subject()));
}

result<void> registry::add(contract c) {
  auto& entry = subjects_[std::string(c.subject())];
  const std::string name = std::string(c.subject()) + " " + std::string(c.version());
  for (const auto& v : entry.versions) {
    if (v.semver() != c.semver()) continue;
    if (v.fingerprint() == c.fingerprint()) return success();
    return error(contract_errc::incompatible, name + " is already registered with other content (fingerprint " +
                                                   std::string(v.fingerprint().substr(0, 12)) + "...)");
  }
  if (!entry.versions.empty() && !(entry.versions.back().semver() < c.semver()))
    return error(contract_errc::incompatible,
                 name + " is not above the latest version " + std::string(entry.versions.back().version()));
  auto changes = check(c);
  if (!changes.empty()) {
    return error(contract_errc::incompatible, name + " is not " + std::string(to_string(mode(c.subject()))) +
                                                  " compatible:\n" + describe(changes));
  }
  entry.versions.push_back(std::move(c));
  return success();
}

result<contract> registry::lookup(std::string_view subject, std::string_view version) const {
  if (version == "latest") return latest(subject);
  const auto it = subjects_.find(subject);
  if (it != subjects_.end())
    for (const auto& v : it->second.versions)
      if (v.version() == version) return v;
  return error(contract_errc::unknown_subject, "no contract " + std::string(subject) + " " + std::string(version));
}

result<contract> registry::latest(std::string_view subject) const {
  const auto it = subjects_.find(subject);
  if (it == subjects_.end() || it->second.versions.empty())
    return error(contract_errc::unknown_subject, "no contract " + std::string(subject));
  return it->second.versions.back();
}

result<contract> registry::find_fingerprint(std::string_view fingerprint) const {
  for (const auto& [name, entry] : subjects_)
    for (const auto& v : entry.versions)
      if (v.fingerprint() == fingerprint) return v;
  return error(contract_errc::unknown_subject, "no contract with fingerprint " + std::string(fingerprint));
}

std::vector<std::string> registry::subjects() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : subjects_)
    if (!entry.versions.empty()) out.push_back(name);
  return out;
}

std::vector<std::string> registry::versions(std::string_view subject) const {
  std::vector<std::string> out;
  const auto it = subjects_.find(subject);
  if (it != subjects_.end())
    for (const auto& v : it->second.versions) out.emplace_back(v.version());
  return out;
}

std::vector<contract> registry::history(std::string_view subject) const {
  const auto it = subjects_.find(subject);
  if (it == subjects_.end()) return {};
  return it->second.versions;
}

void registry::set_mode(std::string_view subject, compatibility_mode m) {
  subjects_[std::string(subject)].mode_override = m;
}

compatibility_mode registry::mode(std::string_view subject) const {
  const auto it = subjects_.find(subject);
  if (it == subjects_.end()) return compatibility_mode::backward;
  if (it->second.mode_override) return *it->second.mode_override;
  if (it->second.versions.empty()) return compatibility_mode::backward;
  return it->second.versions.back().compatibility();
}

result<registry> registry::load_directory(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(directory, ec);
  if (ec) return fs_error(ec, "cannot list " + directory.string());
  std::vector<std::filesystem::path> files;
  for (const std::filesystem::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return fs_error(ec, "cannot list " + directory.string());
    if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<contract> loaded;
  for (const auto& f : files) {
    ODOOLINK_TRY(auto text, read_text(f));
    auto c = contract::parse(text);
    if (!c) return c.error().with_context(f.string());
    loaded.push_back(std::move(c).value());
  }
  std::stable_sort(loaded.begin(), loaded.end(), [](const contract& a, const contract& b) {
    if (a.subject() != b.subject()) return a.subject() < b.subject();
    return a.semver() < b.semver();
  });
  registry r;
  for (auto& c : loaded) ODOOLINK_TRYV(r.add(std::move(c)));
  return r;
}

result<void> registry::save_directory(const std::filesystem::path& directory) const {
  for (const auto& [name, entry] : subjects_) {
    const std::filesystem::path folder = directory / name;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) return fs_error(ec, "cannot create " + folder.string());
    for (const auto& v : entry.versions)
      ODOOLINK_TRYV(write_text(folder / (std::string(v.version()) + ".json"), v.to_pretty_json()));
  }
  return success();
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
