#!/usr/bin/env bash
# Brings PublicAPI.Unshipped.txt of every assembly the SlimGen package ships up to date after its public API changed,
# from the build's own messages: RS0016 names a public symbol the files lack (added), RS0017 one they list that is
# gone (removed from Unshipped; one listed in Shipped is a breaking change, left for you to decide). This covers the
# members that generated code declares (the zoo models), which `dotnet format analyzers --diagnostics RS0016` leaves
# alone, and removals, which it does not make. Review the diff; at a release, move Unshipped's lines to Shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in Attributes/SlimGen.Attributes.csproj Generator/SlimGen.Generator.csproj \
               Generator.CodeFixes/SlimGen.Generator.CodeFixes.csproj Runtime/SlimGen.Runtime.csproj Onnx/SlimGen.Onnx.csproj; do
  directory="$(dirname "$project")"
  unshipped="$directory/PublicAPI.Unshipped.txt"
  # --no-incremental: the analyzers report only when the compiler runs.
  output="$(dotnet build "$project" --no-incremental -nologo -tl:off 2>&1 || true)"
  added="$(sed -n "s/.*: error RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" <<< "$output" | sort -u)"
  removed="$(sed -n "s/.*PublicAPI\.Unshipped\.txt([0-9,]*): error RS0017: Symbol '\(.*\)' is part of the declared API.*/\1/p" <<< "$output" | sort -u)"
  grep -h "PublicAPI\.Shipped\.txt([0-9,]*): error RS0017" <<< "$output" | sort -u || true
  {
    echo '#nullable enable'
    { grep -v '^#nullable enable$' "$unshipped" | grep -vxF -f <(printf '%s\n' "$removed") || true; printf '%s\n' "$added"; } \
      | grep -v '^$' | LC_ALL=C sort -u
  } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
done
