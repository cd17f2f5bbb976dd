#!/usr/bin/env bash
# Installs the system packages glutecoach's tests need and pip cannot provide: PostgreSQL, whose
# initdb and pg_ctl the test harness uses to start a throw-away server. Does nothing when they are
# there. Debian/Ubuntu (apt-get); runs as root, or through sudo otherwise.
#
# POSTGRESQL_ROOT (default /usr/lib/postgresql) is where Debian puts each version's bin/ folder.
set -euo pipefail

POSTGRESQL_ROOT="${POSTGRESQL_ROOT:-/usr/lib/postgresql}"

find_pg_ctl() {
    local candidate bindir
    if candidate="$(command -v pg_ctl 2>/dev/null)"; then
        echo "$candidate"
        return 0
    fi
    if bindir="$(pg_config --bindir 2>/dev/null)" && [ -x "$bindir/pg_ctl" ]; then
        echo "$bindir/pg_ctl"
        return 0
    fi
    for candidate in "$POSTGRESQL_ROOT"/*/bin/pg_ctl; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if found="$(find_pg_ctl)"; then
    echo "PostgreSQL is installed ($found); nothing to do."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL (initdb, pg_ctl) is missing and this is not a Debian/Ubuntu system (no apt-get)." >&2
    echo "Install the PostgreSQL server with the system's package manager, then run the tests again." >&2
    exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "PostgreSQL is missing; installing it needs root, and sudo is not available." >&2
        echo "As root, run: apt-get update && apt-get install -y postgresql" >&2
        exit 1
    fi
    as_root=(sudo)
fi

echo "PostgreSQL is missing (no pg_ctl on PATH, from pg_config or in $POSTGRESQL_ROOT/*/bin): installing Debian's postgresql package."
echo "+ ${as_root[*]:+${as_root[*]} }apt-get update"
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
echo "+ ${as_root[*]:+${as_root[*]} }apt-get install -y postgresql"
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql

if found="$(find_pg_ctl)"; then
    echo "PostgreSQL installed ($found)."
else
    echo "apt-get installed postgresql, but pg_ctl is still not found." >&2
    exit 1
fi
