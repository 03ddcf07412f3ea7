#!/usr/bin/env bash
# Exported symbols of a shared odoolink library: its SONAME, and that what
# it exports is its own API.
#
# usage: check_exports.sh --soname=<expected SONAME> <library.so>
#        check_exports.sh --self-test <objects>...
#
# The library is compiled with hidden visibility; only the `odoolink::v0`
# namespace is visible (ODOOLINK_VISIBLE in include/odoolink/config.hpp).
# Every defined dynamic symbol must therefore name `odoolink::v0::` (its own
# API, or a template instantiated for its types) or be one of libstdc++'s
# templates (namespace std is declared visible by its headers, so every C++
# library that instantiates them exports them).
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

# Names that are not odoolink's: neither in odoolink::v0 (functions,
# variables, typeinfo, vtables, thunks, and instantiations for its types;
# function templates' demangled names start with their return type) nor
# libstdc++'s own templates, which its headers declare visible (namespace std
# has default visibility), so every C++ library that instantiates them
# exports them. Boost's exception types (Outcome's bad_result_access) are
# declared visible too, so their typeinfo and vtable are shared and a throw
# in one library is caught in another.
foreign() {
  grep -v 'odoolink::v0::' |
    grep -vE '^(typeinfo name|typeinfo|vtable) for boost::' |
    sed -E 's/^((typeinfo name|typeinfo|vtable|VTT|construction vtable|guard variable|transaction clone|non-virtual thunk|virtual thunk|covariant return thunk) (for|to) )+//' |
    grep -vE '^(std|__gnu_cxx)::|^[A-Za-z_][A-Za-z0-9_ ]* (std|__gnu_cxx)::' |
    grep -vxE '_init|_fini|_edata|_end|__bss_start' || true
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
[ "$status" = 0 ] && echo "exports: ok ($total exported symbols, all odoolink::v0 or libstdc++ instantiations${soname:+; SONAME $soname}: ${files[*]})"
exit "$status"
