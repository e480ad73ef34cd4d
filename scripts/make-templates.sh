#!/usr/bin/env bash
# Regenerates templates/*.pdf from templates/src/*.json with the project's own drawing program.
# The output is deterministic; the forms tests check the committed PDFs are what this makes.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja >/dev/null
cmake --build build --target make_templates
build/tools/make_templates fonts/manifest.json templates
