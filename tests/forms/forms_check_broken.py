"""`kakanai-agent forms check` on tests/data/forms-broken: every broken definition gives its own
problem (code, field, resident, message) and nothing else, the exit status is 1; the one that is
broken only for a resident whose name no font has passes without that resident."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

agent, source = sys.argv[1], pathlib.Path(sys.argv[2])
broken = source / "tests" / "data" / "forms-broken"
expected = json.loads((broken / "expected.json").read_text(encoding="utf-8"))
failures = []

with tempfile.TemporaryDirectory() as data:
    for name in ("fonts", "templates"):
        os.symlink(source / name, pathlib.Path(data) / name)
    os.symlink(broken / "forms", pathlib.Path(data) / "forms")

    def check(*extra):
        run = subprocess.run([agent, "forms", "check", "--data-dir", data, "--date", "2026-12-02", "--json", *extra],
                             capture_output=True, text=True)
        return run.returncode, json.loads(run.stdout)

    def matches(p, e):
        return (p["code"] == e["code"] and p.get("field") == e.get("field") and e["message"] in p["message"]
                and ("resident" not in e or p.get("resident") == e["resident"]))

    def verify(report, e):
        problems = report["problems"]
        if not any(matches(p, e) for p in problems):
            failures.append(f"{report['file']}: expected {e}, got {problems}")
        stray = [p for p in problems if p["code"] != e["code"]]
        if stray:
            failures.append(f"{report['file']}: unexpected {stray}")

    rc, out = check()
    if rc != 1:
        failures.append(f"exit status {rc}, not 1")
    files = {r["file"]: r for r in out["forms"]}
    if set(files) != set(expected):
        failures.append(f"files checked {sorted(files)} != expected {sorted(expected)}")
    for file, e in expected.items():
        if file not in files:
            continue
        if file == "glyph-missing.json":
            if files[file]["problems"]:
                failures.append(f"{file} without the unencoded resident: {files[file]['problems']}")
        else:
            verify(files[file], e)
    messages = [p["message"] for r in out["forms"] for p in r["problems"] if r["file"] != "overflow.json"]
    if len(set(messages)) != len(messages):
        failures.append("two broken definitions gave the same message")

    rc, out = check("--residents", str(broken / "residents.json"), "glyph-missing")
    if rc != 1 or len(out["forms"]) != 1:
        failures.append(f"glyph-missing alone: exit {rc}, {len(out['forms'])} forms")
    else:
        verify(out["forms"][0], expected["glyph-missing.json"])

for f in failures:
    print(f)
print(f"{len(expected)} broken definitions, {len(failures)} failures")
sys.exit(1 if failures else 0)
