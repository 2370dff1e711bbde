#!/usr/bin/env bash
# A dated backup (`pinzhi backup`: database and uploaded files in one archive, mode 0600)
# into PINZHI_BACKUP_DIR; archives older than PINZHI_BACKUP_KEEP_DAYS days are removed, and
# with PINZHI_BACKUP_COPY_TO (an rsync destination, e.g. backup@vault:/pinzhi/) each new one
# is copied off the host. Run nightly by deploy/systemd/pinzhi-backup.timer, or by cron:
#   30 2 * * *  pinzhi  set -a; . /etc/pinzhi/pinzhi.env; /srv/pinzhi/deploy/backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${PINZHI_BACKUP_DIR:-/var/backups/pinzhi}
keep=${PINZHI_BACKUP_KEEP_DAYS:-35}
umask 077
mkdir -p "$dir"
file="$dir/pinzhi-$(date +%Y%m%d-%H%M%S).tar"

.venv/bin/pinzhi backup --out "$file"
if [ -n "${PINZHI_BACKUP_COPY_TO:-}" ]; then
  rsync --archive "$file" "$PINZHI_BACKUP_COPY_TO"
fi
find "$dir" -maxdepth 1 -name 'pinzhi-*.tar' -mtime +"$keep" -delete
