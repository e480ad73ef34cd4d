"""Every form definition validates against forms/form.schema.json (with python3-jsonschema, a
validator nobody here wrote), and a broken definition does not."""
import json
import pathlib
import sys

import jsonschema

forms = pathlib.Path(sys.argv[1])
schema = json.loads((forms / "form.schema.json").read_text(encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
count = 0
failed = 0
for path in sorted(forms.glob("*.json")):
    if path.name.endswith(".schema.json"):
        continue
    errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    for e in errors:
        print(f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed += bool(errors)
    count += 1
broken = {"id": "x", "title": "t", "template": "x.pdf", "fields": [{"name": "a", "source": "person.nmae", "box": [1, 2, 3]}]}
if not list(validator.iter_errors(broken)):
    print("a broken definition passed the schema")
    failed += 1
# Procedures (forms/procedures/*.json) against their own schema.
procedures = forms / "procedures"
pschema = json.loads((procedures / "procedure.schema.json").read_text(encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(pschema)
pvalidator = jsonschema.Draft7Validator(pschema)
pcount = 0
for path in sorted(procedures.glob("*.json")):
    if path.name.endswith(".schema.json"):
        continue
    errors = list(pvalidator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    for e in errors:
        print(f"procedures/{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed += bool(errors)
    pcount += 1
if not list(pvalidator.iter_errors({"id": "x", "title": "t", "forms": [{"form": "idou", "requried": False}]})):
    print("a broken procedure passed the schema")
    failed += 1
print(f"{count + pcount - failed} passed, {failed} failed")
sys.exit(1 if failed or count < 5 or pcount < 3 else 0)
