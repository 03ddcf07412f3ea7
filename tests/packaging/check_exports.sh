#!/usr/bin/env bash
# Exported symbols of a shared odoolink library: its SONAME, and that what
# it exports is its own API.
#
# usage: check_exports.sh --soname=<expected SONAME> <library.so>
#        check_exports.sh --self-test <objects>...
#
# The library is compiled with hidden visibility; only the `odoolink::v0`
# namespace is visible (ODOOLINK_VISIBLE in include/odoolink/config.hpp).
# Every defined dynamic symbol must therefore be
#   - odoolink's: its demangled name starts with `odoolink::v0::` (or is the
#     typeinfo, vtable, guard variable... of such a name), or
#   - a standard-library or Boost template instantiated for odoolink's types
#     (those namespaces are visible by their own headers' pragmas) and so
#     mentioning `odoolink::v0::`.
# Anything else (simdjson's inline code compiled into the library, a helper
# declared outside the namespace, a C function) is reported. With
# --self-test the objects given must produce such reports (the check can
# fail). Exit status: 0 clean, 1 violations, 2 usage or tool errors.
set -euo pipefail

soname=""
self_test=0
files=()
for arg in "$@"; do
  case "$arg" in
    --soname=*) soname="${arg#--soname=}" ;;
    --self-test) self_test=1 ;;
    -*) echo "check_exports: unknown option $arg" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done
[ "${#files[@]}" -gt 0 ] || { echo "usage: check_exports.sh --soname=NAME <library.so> | --self-test <objects>" >&2; exit 2; }
command -v nm >/dev/null || { echo "check_exports: nm not found" >&2; exit 2; }

# Defined, global symbols (dynamic ones for a shared library), demangled.
exported() {
  local flags=(-C --defined-only --extern-only)
  case "$1" in *.so|*.so.*) flags+=(-D) ;; esac
  nm "${flags[@]}" "$1" | sed -nE 's/^[0-9a-f]+ [A-Za-z] //p' | sed -E 's/@.*$//' | sort -u
}

# Names that are not odoolink's: not in odoolink::v0, and not an
# instantiation for one of its types.
foreign() {
  grep -vE '^((typeinfo|typeinfo name|vtable|VTT|construction vtable|guard variable|transaction clone|non-virtual thunk|virtual thunk|covariant return thunk|reference temporary #[0-9]+) (for|to) )*odoolink::v0::' |
    grep -vE '^(std|__gnu_cxx|boost)::.*odoolink::v0::' |
    grep -vE '^((typeinfo|typeinfo name|vtable|guard variable) for )(std|__gnu_cxx|boost)::.*odoolink::v0::' |
    grep -vE '^_(init|fini|edata|end|__bss_start)$|^(_init|_fini|_edata|_end|__bss_start)$' || true
}

total=0
report=""
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "check_exports: no such file: $f" >&2; exit 2; }
  names="$(exported "$f")"
  n="$(printf '%s\n' "$names" | grep -c . || true)"
  total=$((total + n))
  bad="$(printf '%s\n' "$names" | foreign)"
  [ -z "$bad" ] || report+="$bad"$'\n'
done
if [ "$total" -eq 0 ]; then
  echo "check_exports: nothing exported by ${files[*]}; wrong file?" >&2
  exit 2
fi

if [ "$self_test" = 1 ]; then
  if [ -z "$report" ]; then
    echo "check_exports self-test: the foreign symbols of ${files[*]} were not reported" >&2
    exit 1
  fi
  echo "check_exports self-test: foreign symbols reported: $(printf '%s' "$report" | grep -c .)"
  exit 0
fi

status=0
if [ -n "$soname" ]; then
  command -v objdump >/dev/null || { echo "check_exports: objdump not found" >&2; exit 2; }
  actual="$(objdump -p "${files[0]}" | awk '$1 == "SONAME" { print $2 }')"
  if [ "$actual" != "$soname" ]; then
    echo "SONAME of ${files[0]} is '${actual}', expected '${soname}'"
    status=1
  fi
fi
if [ -n "$report" ]; then
  echo "exported symbols outside odoolink's API (hidden visibility should have kept them in):"
  printf '%s' "$report" | sed 's/^/  /' | head -n 50
  status=1
fi
[ "$status" = 0 ] && echo "exports: ok ($total symbols of odoolink::v0${soname:+; SONAME $soname}: ${files[*]})"
exit "$status"
