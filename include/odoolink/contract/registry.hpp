#pragma once
/// @file
/// `registry`: the versions of every contract subject, with compatibility
/// enforced at registration, look-ups by version or fingerprint, and
/// persistence as a directory of contract files.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/compatibility.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// A set of subjects, each with its versions in ascending order.
///
/// A subject's compatibility mode is the one its latest version declares,
/// unless `set_mode` overrode it. A new version must have a higher semantic
/// version than the latest and be compatible under the subject's mode with
/// the latest version (or every version, for transitive modes).
/// Registering a version again with the same content is a no-op.
/// @par Thread Safety  Const member functions may run concurrently; any
///   mutation needs exclusive access.
class registry {
 public:
  /// Registers a version. Errors: contract_errc::incompatible when the
  /// version is not above the latest, when the same version is registered
  /// with other content, or when it breaks compatibility (the message lists
  /// every breaking change; `check` returns them as values).
  [[nodiscard]] result<void> add(contract c);

  /// The breaking changes `candidate` would be refused for under its
  /// subject's mode (empty: it can be registered, version order aside).
  [[nodiscard]] std::vector<breaking_change> check(const contract& candidate) const;

  /// The version `version` (`"1.2.0"`, or `"latest"`) of `subject`.
  /// Errors: contract_errc::unknown_subject.
  [[nodiscard]] result<contract> lookup(std::string_view subject, std::string_view version) const;
  /// The latest version of `subject`. Errors: contract_errc::unknown_subject.
  [[nodiscard]] result<contract> latest(std::string_view subject) const;
  /// The version whose fingerprint is `fingerprint` (what the outbox records
  /// per event). Errors: contract_errc::unknown_subject.
  [[nodiscard]] result<contract> find_fingerprint(std::string_view fingerprint) const;

  /// Subjects in ascending order.
  [[nodiscard]] std::vector<std::string> subjects() const;
  /// Versions of `subject`, oldest first (empty for an unknown subject).
  [[nodiscard]] std::vector<std::string> versions(std::string_view subject) const;
  /// All versions of `subject`, oldest first.
  [[nodiscard]] std::vector<contract> history(std::string_view subject) const;

  /// Overrides the compatibility mode of `subject` (also before its first version).
  void set_mode(std::string_view subject, compatibility_mode mode);
  /// The mode new versions of `subject` are checked under.
  [[nodiscard]] compatibility_mode mode(std::string_view subject) const;

  /// Loads every `*.json` file below `directory` (recursively) as a contract
  /// and registers them by subject and ascending version, with compatibility
  /// checks. Errors: contract_errc::invalid_document (naming the file),
  /// contract_errc::incompatible, or the file system's error code.
  [[nodiscard]] static result<registry> load_directory(const std::filesystem::path& directory);

  /// Writes every version as `<directory>/<subject>/<version>.json` (indented
  /// normalized documents), creating folders as needed; each file is written
  /// to a temporary name and renamed. Errors: the file system's error code.
  [[nodiscard]] result<void> save_directory(const std::filesystem::path& directory) const;

 private:
  struct subject_entry {
    std::vector<contract> versions;
    std::optional<compatibility_mode> mode_override;
  };
  std::map<std::string, subject_entry, std::less<>> subjects_;
};

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
