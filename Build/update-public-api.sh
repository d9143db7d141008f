#!/usr/bin/env bash
# Brings PublicAPI.Unshipped.txt of every assembly the SlimGen package ships up to date after its public API changed:
# first the analyzers' own code fix (RS0016 adds what is new, RS0017 removes what is gone) on hand-written code, then
# the symbols that only generated code declares (the zoo models), which the code fix leaves alone, taken from the
# build's RS0016 messages. Review the diff; move lines to PublicAPI.Shipped.txt when a version is released.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in Attributes/SlimGen.Attributes.csproj Generator/SlimGen.Generator.csproj \
               Generator.CodeFixes/SlimGen.Generator.CodeFixes.csproj Runtime/SlimGen.Runtime.csproj; do
  unshipped="$(dirname "$project")/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity info
  { dotnet build "$project" -nologo -tl:off || true; } 2>&1 \
    | sed -n "s/.*: error RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" >> "$unshipped"
  { echo '#nullable enable'; grep -v '^#nullable enable$' "$unshipped" | LC_ALL=C sort -u; } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
done
