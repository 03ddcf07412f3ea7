#!/usr/bin/env bash
# Symbol hygiene: the library never prints, never aborts and never starts a
# thread. Checked on the undefined symbols of the built library (nm -C), i.e.
# what its code calls or references.
#
# usage: check_symbols.sh [--asserts=allowed|forbidden] [--threads-in=GLOB] <library or objects>...
#        check_symbols.sh [--threads-in=GLOB] --self-test <objects>...
#
# Forbidden references (exact names, after stripping @VERSION):
#   print   printf vprintf fprintf vfprintf dprintf vdprintf puts putchar
#           perror, the _FORTIFY_SOURCE variants __*printf_chk, the stdio
#           objects stdout/stderr, and std::cout/cerr/clog (and w*) of
#           libstdc++ or libc++ (std::__1::). snprintf is allowed: it formats
#           into a buffer.
#   abort   abort exit _exit _Exit quick_exit, and assert()'s __assert_fail,
#           __assert_perror_fail, __assert (see --asserts).
#   thread  (unless --threads-in=GLOB names the only object files, i.e.
#           translation units, that may start one)
#           pthread_create, thrd_create, std::thread::_M_start_thread (what
#           the out-of-line part of libstdc++'s std::thread/jthread/async
#           calls; with libc++ those inline down to pthread_create).
#
# What is deliberately not flagged, and why:
#   std::terminate  emitted by the compiler itself when an exception would
#           leave a noexcept function (clang's __clang_call_terminate, GCC's
#           EH cleanups), so its presence says nothing about the code.
#   std::__glibcxx_assert_fail  libstdc++'s precondition check under
#           -D_GLIBCXX_ASSERTIONS (hardened distribution flags): it fires
#           only on undefined behaviour inside the standard library.
#   __ubsan_handle_*_abort, __asan_*  sanitizer runtime hooks (exact-name
#           matching keeps them apart from `abort`).
#
# Allowed only in a precise context:
#   __assert_fail & co. when --asserts=allowed (builds without NDEBUG):
#           simdjson's dom accessors and Boost.Outcome's make_ub assert in
#           debug builds; NDEBUG removes them, so in Release any reference is
#           a violation.
#   abort/printf/stderr referenced only from std::__replacement_assert:
#           libstdc++ before GCC 12.3 implemented _GLIBCXX_ASSERTIONS with
#           that inline printf + abort helper, which lands in our objects.
#           Attribution to the enclosing function uses objdump; without
#           objdump nothing is excused.
#
# Thread starts are judged per translation unit, not per function: an
# optimiser may inline the one function allowed to start a thread into its
# caller, but it does not move code between object files (no LTO here), so
# the source file that owns the thread is what the check names.
#
# Exit status: 0 clean, 1 violations (or, with --self-test, the checker
# failed to see the planted ones), 2 usage or tool errors.
set -euo pipefail

asserts=forbidden
threads_in=""  # a glob on file names: thread starts in matching object files are allowed
self_test=0
files=()
for arg in "$@"; do
  case "$arg" in
    --asserts=allowed) asserts=allowed ;;
    --asserts=forbidden) asserts=forbidden ;;
    --threads-in=*) threads_in="${arg#--threads-in=}" ;;
    --self-test) self_test=1 ;;
    -*) echo "check_symbols: unknown option $arg" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "usage: check_symbols.sh [--asserts=allowed|forbidden] [--threads-in=GLOB] [--self-test] <files>..." >&2
  exit 2
fi
command -v nm >/dev/null || { echo "check_symbols: nm not found" >&2; exit 2; }

category_of() {
  case "$1" in
    printf|vprintf|fprintf|vfprintf|dprintf|vdprintf|puts|putchar|perror|\
    __printf_chk|__vprintf_chk|__fprintf_chk|__vfprintf_chk|__dprintf_chk|\
    stdout|stderr|\
    std::cout|std::cerr|std::clog|std::wcout|std::wcerr|std::wclog|\
    std::__1::cout|std::__1::cerr|std::__1::clog|std::__1::wcout|std::__1::wcerr|std::__1::wclog)
      echo print ;;
    abort|exit|_exit|_Exit|quick_exit) echo abort ;;
    __assert_fail|__assert_perror_fail|__assert) echo assert ;;
    pthread_create|thrd_create|std::thread::_M_start_thread\(*) echo thread ;;
    *) echo "" ;;
  esac
}

# Functions whose code references symbol $2 in file $1, one per line.
# Handles relocations in object files and archives (R_<type> <sym>[+-off])
# and PLT calls / GOT loads in shared objects (<sym@plt>, # <sym@VERSION>).
referencing_functions() {
  objdump -dr --no-show-raw-insn -C "$1" 2>/dev/null | awk -v sym="$2" '
    /^[0-9a-f]+ <.*>:$/ {
      fn = substr($0, index($0, "<") + 1); sub(/>:$/, "", fn); next
    }
    /R_[A-Z0-9_]+[ \t]/ {
      s = $0; sub(/^.*R_[A-Z0-9_]+[ \t]+/, "", s); sub(/[+-]0x[0-9a-f]+$/, "", s)
      if (s == sym) print fn
      next
    }
    /@plt>/ {
      s = $0; sub(/^[^<]*</, "", s); sub(/@plt>.*$/, "", s)
      if (s == sym) print fn
      next
    }
    /# [0-9a-f]+ <.*@/ {
      s = $0; sub(/^.*# [0-9a-f]+ </, "", s); sub(/@[^@]*$/, "", s)
      if (s == sym) print fn
    }' | sort -u
}

# Prints "category<TAB>symbol<TAB>where" for each violation in file $1.
violations_in() {
  local file="$1" nm_flags=(-C --undefined-only)
  case "$file" in *.so|*.so.*|*.dylib) nm_flags+=(-D) ;; esac
  local listing
  if ! listing="$(nm "${nm_flags[@]}" "$file" 2>&1)"; then
    echo "check_symbols: nm failed on $file: $listing" >&2
    return 2
  fi
  local have_objdump=0
  command -v objdump >/dev/null && have_objdump=1
  local sym cat fns excused
  while IFS= read -r sym; do
    [ -n "$sym" ] || continue
    cat="$(category_of "$sym")"
    [ -n "$cat" ] || continue
    if [ "$cat" = assert ]; then
      [ "$asserts" = allowed ] && continue
      cat=abort
    fi
    if [ "$cat" = thread ] && [ -n "$threads_in" ]; then
      # shellcheck disable=SC2254  # the pattern is a glob on purpose
      case "$file" in
        $threads_in)
          echo "note: $sym is referenced in $(basename "$file"), which matches '$threads_in'; allowed" >&2
          continue ;;
      esac
    fi
    fns=""
    [ "$have_objdump" = 1 ] && fns="$(referencing_functions "$file" "$sym")"
    if [ "$cat" != thread ] && [ -n "$fns" ]; then
      excused=1
      while IFS= read -r fn; do
        case "$fn" in std::__replacement_assert\(*) ;; *) excused=0 ;; esac
      done <<<"$fns"
      if [ "$excused" = 1 ]; then
        echo "note: $sym is referenced only from libstdc++'s std::__replacement_assert (_GLIBCXX_ASSERTIONS); allowed" >&2
        continue
      fi
    fi
    printf '%s\t%s\t%s\n' "$cat" "$sym" "${fns//$'\n'/; }"
  done < <(printf '%s\n' "$listing" | sed -nE 's/^[[:space:]]*[Uw] ([^@]*)(@.*)?$/\1/p' | sort -u)
}

total_defined=0
report=""
for f in "${files[@]}"; do
  if [ ! -f "$f" ]; then
    echo "check_symbols: no such file: $f" >&2
    exit 2
  fi
  # A library with nothing in it would pass trivially: refuse that.
  defined="$(nm --defined-only "$f" 2>/dev/null | grep -c ' [TtWDdBbRrV] ' || true)"
  total_defined=$((total_defined + defined))
  found="$(violations_in "$f")" || exit 2
  [ -z "$found" ] || report+="$found"$'\n'
done
if [ "$total_defined" -eq 0 ]; then
  echo "check_symbols: no defined symbols in ${files[*]}; wrong file?" >&2
  exit 2
fi

if [ "$self_test" = 1 ]; then
  # The canary plants one reference of each kind; all three must be seen.
  missing=""
  for cat in print abort thread; do
    printf '%s' "$report" | cut -f1 | grep -qx "$cat" || missing+=" $cat"
  done
  if [ -n "$missing" ]; then
    echo "check_symbols self-test: the checker missed planted references:$missing" >&2
    printf '%s' "$report" >&2
    exit 1
  fi
  echo "check_symbols self-test: planted print, abort and thread references detected"
  exit 0
fi

if [ -n "$report" ]; then
  echo "symbol hygiene violations (the library must not print, abort or start threads):"
  printf '%s' "$report" | while IFS=$'\t' read -r cat sym where; do
    echo "  [$cat] $sym${where:+   <- $where}"
  done
  exit 1
fi
if [ "${#files[@]}" -gt 2 ]; then
  echo "symbol hygiene: ok (${#files[@]} files; asserts $asserts)"
else
  echo "symbol hygiene: ok (${files[*]}; asserts $asserts)"
fi
