#!/usr/bin/env bash
# Light public headers: every public header compiles on its own, and none
# pulls in simdjson.h (simdjson stays an implementation detail: no simdjson
# type in a public signature, no simdjson build macros in the host's
# translation units). Each header is compiled alone with -fsyntax-only -H;
# the include tree printed by -H must not name simdjson.h.
#
# usage: check_light_headers.sh --cxx=COMPILER --root=INCLUDE_DIR [--jobs=N] [--self-test] -- FLAGS...
#   --root       the folder holding odoolink/ (every *.hpp below it is checked)
#   --self-test  the check must fail on this root (a planted header that
#                includes simdjson.h): exit 0 when it does
#   FLAGS        compiler flags (-std=c++20, -I..., -D...)
set -u

cxx=""
root=""
jobs=2
self_test=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cxx=*) cxx="${1#--cxx=}" ;;
    --root=*) root="${1#--root=}" ;;
    --jobs=*) jobs="${1#--jobs=}" ;;
    --self-test) self_test=1 ;;
    --) shift; break ;;
    *) echo "check_light_headers: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$cxx" ] || [ -z "$root" ] || [ ! -d "$root/odoolink" ]; then
  echo "usage: check_light_headers.sh --cxx=COMPILER --root=INCLUDE_DIR [--jobs=N] [--self-test] -- FLAGS..." >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One header: compiles alone, and simdjson.h is not in its include tree.
check_one() {
  local header="$1" rel out
  rel="${header#"$root"/}"
  out="$work/$(echo "$rel" | tr '/' '_').log"
  if ! printf '#include "%s"\n' "$rel" | "$cxx" "${flags[@]}" -fsyntax-only -H -x c++ - >"$out" 2>&1; then
    echo "FAIL $rel: does not compile on its own"
    grep -v '^\.' "$out" | head -20
    return 1
  fi
  if grep -Eq '^\.+ .*/simdjson\.h$' "$out"; then
    echo "FAIL $rel: includes simdjson.h; include chain:"
    # The lines of -H up to simdjson.h: dots give the depth of each include.
    awk '/^\.+ / { print } /\/simdjson\.h$/ { exit }' "$out" | tail -8
    echo "__heavy__"
    return 1
  fi
  return 0
}

flags=("-I$root" "$@")
export -f check_one
export cxx root work
mapfile -t headers < <(find "$root/odoolink" -name '*.hpp' | sort)
if [ "${#headers[@]}" -eq 0 ]; then
  echo "check_light_headers: no headers under $root/odoolink" >&2
  exit 2
fi

# xargs runs the checks in parallel; each prints its own verdict.
failures=$(printf '%s\0' "${headers[@]}" |
  FLAGS_Q="$(printf '%q ' "${flags[@]}")" xargs -0 -P "$jobs" -n 1 bash -c 'eval "flags=($FLAGS_Q)"; check_one "$0" || echo "__failed__"' |
  tee "$work/verdicts" >&2; grep -c '^__failed__$' "$work/verdicts")
heavy=$(grep -c '^__heavy__$' "$work/verdicts")

echo "check_light_headers: ${#headers[@]} headers, $failures failing ($heavy through simdjson.h)" >&2
if [ "$self_test" -eq 1 ]; then
  # The planted header compiles; it must be caught for simdjson.h.
  [ "$heavy" -gt 0 ] && exit 0
  echo "self-test: the planted header was not caught" >&2
  exit 1
fi
[ "$failures" -eq 0 ]
