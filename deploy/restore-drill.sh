#!/usr/bin/env bash
# The restore drill (docs/deployment.md): restore a backup into a SCRATCH database, never
# the live one, and show that it is whole: its migrations match the code and its rows are
# counted. Do it monthly, and after every change of the backup set-up.
#   PINZHI_DRILL_DATABASE_URL=postgres://pinzhi@db.internal/pinzhi_drill \
#     deploy/restore-drill.sh [/var/backups/pinzhi/pinzhi-YYYYMMDD-HHMMSS.tar]
# Without a file, the newest archive in PINZHI_BACKUP_DIR. On PostgreSQL, create the scratch
# database first (createdb pinzhi_drill) and drop it after (dropdb pinzhi_drill).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${PINZHI_DRILL_DATABASE_URL:?set PINZHI_DRILL_DATABASE_URL to a scratch database, not the live one}"
if [ "${PINZHI_DRILL_DATABASE_URL}" = "${DATABASE_URL:-}" ]; then
  echo "PINZHI_DRILL_DATABASE_URL is the live database; name a scratch one" >&2
  exit 1
fi
file=${1:-$(ls -1t "${PINZHI_BACKUP_DIR:-/var/backups/pinzhi}"/pinzhi-*.tar | head -1)}
scratch_var=$(mktemp -d)
trap 'rm -rf "$scratch_var"' EXIT

export DATABASE_URL="$PINZHI_DRILL_DATABASE_URL" PINZHI_VAR="$scratch_var"
echo "== restoring $file into the scratch database"
.venv/bin/pinzhi restore "$file" --yes --no-media --by "${PINZHI_DRILL_BY:-}"
echo "== migrations of the code not in the backup (none expected for a backup of this release)"
.venv/bin/pinzhi migrate --check --plan
echo "== rows"
.venv/bin/pinzhi shell --no-imports -c '
from django.apps import apps
for model in apps.get_models():
    if model._meta.app_label.startswith(("core", "accounts", "org", "policies", "quality",
                                          "callbacks", "settlement")):
        print(f"{model._meta.label:40} {model._default_manager.count():>12,}")
'
