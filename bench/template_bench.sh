#!/usr/bin/env bash
# Filling real-world templates: a 200-page template with object streams (made with qpdf from the
# pages of a real multi-page PDF, each copy taken from its own file so nothing is shared) and a
# 1-page Excel export. Prints a Markdown section.
#
# usage: bench/template_bench.sh MULTIPAGE.pdf EXCEL_EXPORT.pdf   (after a Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
multipage="$1"
excel="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
pages="$(pdfinfo "$multipage" | awk '/^Pages:/ {print $2}')"
copies=$(( (200 + pages - 1) / pages ))
list=()
for i in $(seq "$copies"); do cp "$multipage" "$out/c$i.pdf"; list+=("$out/c$i.pdf"); done
qpdf --empty --object-streams=generate --pages "${list[@]}" -- "$out/joined.pdf"
mkdir -p "$out/big" "$out/excel"
qpdf "$out/joined.pdf" --object-streams=generate --pages "$out/joined.pdf" 1-200 -- "$out/big/template-200.pdf"
cp "$excel" "$out/excel/"
run() {  # three processes, the median warm time
  for round in 1 2 3; do build-release/bench/template_fill_bench "$PWD" "$1" 20; done > "$out/runs.json"
  /usr/bin/python3 - "$out/runs.json" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
r = runs[0]
kib = lambda b: f"{b / 1024:,.0f} KiB"
print(f"| {r['pages']} | {kib(r['templateBytes'])} | {statistics.median(x['warmMedianMs'] for x in runs):.1f} ms "
      f"| {statistics.median(x['coldMs'] for x in runs):.0f} ms | {r['bytesAdded']:,} B "
      f"| {max(x['peakRssKiB'] for x in runs) / 1024:.1f} MiB |")
PY
}
echo "## Filling real-world templates"
echo
echo "Measured by \`bench/template_bench.sh\` on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) ($(nproc) cores):"
echo "\`bench/template_fill_bench.cpp\` (Release) fills a name and a two-line address on page 1, once cold"
echo "(fonts loaded in a fresh process) and 20 times warm; three processes per template, medians of"
echo "their medians. Bytes added: the filled PDF's size less the template's (the incremental update:"
echo "subset fonts, the page's new content and the changed objects). Peak RSS: getrusage of the"
echo "process, the agent's fonts included."
echo
echo "| template | pages | template size | warm fill | cold fill | bytes added | peak RSS |"
echo "|---|---|---|---|---|---|---|"
echo -n "| $(basename "$multipage") × $copies, 200 pages, object streams (qpdf) "; run "$out/big/template-200.pdf"
echo -n "| $(basename "$excel") "; run "$out/excel/$(basename "$excel")"
