#!/usr/bin/env bash
# Runs the test suite.
#
#   scripts/test.sh          dev preset (Debug): build, then ctest
#   scripts/test.sh --full   the whole suite on the Release shared-library
#                            build (release-shared preset) and again under
#                            ASan+UBSan (asan preset, static; all but the
#                            add_subdirectory consumer), so the packaging
#                            consumers use both linkages; when
#                            clang++ is available, every fuzz/fuzz_*.cpp
#                            target for FUZZ_SECONDS each; then the Conan
#                            package (scripts/conan-create.sh --install: both
#                            option sets, test_package). Implied when CI is
#                            set. This is what CI runs.
#
# The `packaging: conan` test is left to that last step (and to a plain
# `ctest`, which skips it when Conan is not installed).
#
# Installs missing packages first (scripts/install-deps.sh) and starts a local
# PostgreSQL for the outbox tests (scripts/start-postgres.sh; required with
# --full, or set ODOOLINK_TEST_PG to another server). JOBS sets the
# build and test parallelism (default 2), FUZZ_SECONDS the time per fuzzer
# (default 20). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

full=0
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
case "${CI:-}" in ""|0|false|FALSE|no) ;; *) full=1 ;; esac
jobs="${JOBS:-2}"
fuzz_seconds="${FUZZ_SECONDS:-20}"

started=$SECONDS
timings=()
step() { printf '\n==> %s\n' "$*"; }
lap() { timings+=("$(printf '%-28s %4ds' "$1" $((SECONDS - $2)))"); }

scripts/install-deps.sh

# The PostgreSQL outbox tests need a server: CI requires one, a plain local
# run uses it when it can be started and skips those tests otherwise.
if [ -z "${ODOOLINK_TEST_PG:-}" ]; then
  if pg="$(scripts/start-postgres.sh)"; then
    export ODOOLINK_TEST_PG="$pg"
  elif [ "$full" = 1 ]; then
    echo "test.sh: PostgreSQL could not be started (scripts/start-postgres.sh)" >&2
    exit 1
  fi
fi
if [ "$full" = 1 ]; then export ODOOLINK_TEST_PG_REQUIRED=1; fi

not_conan=(-E '^packaging: conan$')
# The add_subdirectory consumer builds the whole library again from source: it
# checks CMake integration, not memory safety, so the ASan stage leaves it to
# the release-shared one (it would cost ~3 minutes of CI there).
asan_tests=(-E '^packaging: (conan|add_subdirectory)$')
t=$SECONDS
if [ "$full" = 1 ]; then
  step "release-shared: configure and build (Release, shared libraries)"
  cmake --preset release-shared
  cmake --build --preset release-shared -j "$jobs"
  step "release-shared: test"
  ctest --preset release-shared --output-on-failure -j "$jobs" "${not_conan[@]}"
  lap "release-shared (Release)" "$t"
else
  step "dev: configure and build"
  cmake --preset dev
  cmake --build --preset dev -j "$jobs"
  step "dev: test"
  ctest --preset dev --output-on-failure -j "$jobs" "${not_conan[@]}"
  lap "dev (Debug)" "$t"
fi

if [ "$full" = 1 ]; then
  t=$SECONDS
  step "asan: configure and build (AddressSanitizer + UBSan, static)"
  cmake --preset asan
  cmake --build --preset asan -j "$jobs"
  step "asan: test"
  ctest --preset asan --output-on-failure -j "$jobs" "${asan_tests[@]}"
  lap "asan (ASan+UBSan)" "$t"

  shopt -s nullglob
  fuzz_sources=(fuzz/fuzz_*.cpp)
  if ! command -v clang++ >/dev/null 2>&1; then
    echo "test.sh: clang++ not found; fuzzers skipped" >&2
  elif [ "${#fuzz_sources[@]}" -eq 0 ]; then
    echo "test.sh: no fuzz/fuzz_*.cpp; fuzzing skipped"
  else
    t=$SECONDS
    step "fuzz: configure and build (clang, libFuzzer)"
    cmake --preset fuzz
    # Only the fuzzers (and the library they link): the testing library and
    # the rest are built and tested by the stages above.
    fuzz_targets=()
    for src in "${fuzz_sources[@]}"; do fuzz_targets+=("odoolink_$(basename "$src" .cpp)"); done
    cmake --build --preset fuzz -j "$jobs" --target "${fuzz_targets[@]}"
    failed=()
    for src in "${fuzz_sources[@]}"; do
      name="$(basename "$src" .cpp)"
      exe="$(find build/fuzz -type f -name "odoolink_$name" -perm -u+x | head -n 1)"
      if [ -z "$exe" ]; then
        echo "test.sh: fuzzer odoolink_$name was not built" >&2
        failed+=("$name (not built)")
        continue
      fi
      # New inputs go to the scratch corpus; fuzz/corpus/<name> (if any) seeds it.
      corpus="build/fuzz/corpus/$name"
      artifacts="build/fuzz/artifacts/$name"
      mkdir -p "$corpus" "$artifacts"
      args=(-max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048
            -print_final_stats=1 -artifact_prefix="$artifacts/")
      [ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
      dirs=("$corpus")
      [ -d "fuzz/corpus/$name" ] && dirs+=("fuzz/corpus/$name")
      step "fuzz: $name for ${fuzz_seconds}s"
      if ! "$exe" "${args[@]}" "${dirs[@]}" 2>"build/fuzz/$name.log"; then
        tail -n 60 "build/fuzz/$name.log" >&2
        failed+=("$name (crash; reproducer in $artifacts/)")
      else
        grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' "build/fuzz/$name.log" || true
      fi
    done
    lap "fuzz (${#fuzz_sources[@]} x ${fuzz_seconds}s)" "$t"
    if [ "${#failed[@]}" -gt 0 ]; then
      printf 'test.sh: fuzzer failures:\n' >&2
      printf '  %s\n' "${failed[@]}" >&2
      exit 1
    fi
  fi

  # The Conan 2 package, dependencies from the system: `conan create` for the
  # default options and with_postgres=True, each running test_package.
  t=$SECONDS
  step "conan: create (default options, with_postgres=True)"
  CMAKE_BUILD_PARALLEL_LEVEL="$jobs" scripts/conan-create.sh --install -c "tools.build:jobs=$jobs"
  lap "conan (2 x conan create)" "$t"
fi

printf '\n==> all passed in %ds\n' $((SECONDS - started))
printf '    %s\n' "${timings[@]}"
