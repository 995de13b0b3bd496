#!/usr/bin/env bash
# Until the first release, the schema is one reviewed initial migration. This regenerates it from
# the models on an empty SQLite database (then read the diff by hand before committing).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Later hand-written migrations (0002 …) are set aside while 0001 is rebuilt from an empty database.
mkdir "$tmp/later"
find migrations/versions -name '0*.py' ! -name '0001_*' -exec mv {} "$tmp/later/" \;
trap 'mv "$tmp"/later/*.py migrations/versions/ 2>/dev/null; rm -rf "$tmp"' EXIT
rm -f migrations/versions/0001_initial_schema.py
TILASILTA_INSTANCE=$tmp DATABASE_URL="sqlite:///$tmp/regen.sqlite" .venv/bin/flask --app wsgi db migrate -m "initial schema" --rev-id 0001 >/dev/null 2>&1
sed -i 's/^Create Date: .*/Create Date: 2026-11-28/' migrations/versions/0001_initial_schema.py
echo "regenerated migrations/versions/0001_initial_schema.py"
