#!/usr/bin/env bash
# Installs the system packages glutecoach's tests need and pip cannot provide: PostgreSQL, whose
# initdb and pg_ctl the test harness uses to start a throw-away server, and Debian's Chromium, which
# the browser tests drive through Playwright (no browser is ever downloaded). Does nothing when they
# are there. Debian/Ubuntu (apt-get); runs as root, or through sudo otherwise.
#
# POSTGRESQL_ROOT (default /usr/lib/postgresql) is where Debian puts each version's bin/ folder.
# CHROMIUM (default /usr/bin/chromium) is the browser the browser tests launch.
set -euo pipefail

POSTGRESQL_ROOT="${POSTGRESQL_ROOT:-/usr/lib/postgresql}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

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

packages=()
if found="$(find_pg_ctl)"; then
    echo "PostgreSQL is installed ($found); nothing to do."
else
    packages+=(postgresql)
fi
if [ -x "$CHROMIUM" ]; then
    echo "Chromium is installed ($CHROMIUM); nothing to do."
else
    packages+=(chromium)
fi
if [ "${#packages[@]}" -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${packages[*]} (PostgreSQL's initdb and pg_ctl, Chromium at $CHROMIUM), and this is not a Debian/Ubuntu system (no apt-get)." >&2
    echo "Install them with the system's package manager, then run the tests again." >&2
    exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "Missing: ${packages[*]}; installing needs root, and sudo is not available." >&2
        echo "As root, run: apt-get update && apt-get install -y ${packages[*]}" >&2
        exit 1
    fi
    as_root=(sudo)
fi

for package in "${packages[@]}"; do
    case "$package" in
        postgresql) echo "PostgreSQL is missing (no pg_ctl on PATH, from pg_config or in $POSTGRESQL_ROOT/*/bin): installing Debian's postgresql package." ;;
        chromium) echo "Chromium is missing (no $CHROMIUM): installing Debian's chromium package." ;;
    esac
done
echo "+ ${as_root[*]:+${as_root[*]} }apt-get update"
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
echo "+ ${as_root[*]:+${as_root[*]} }apt-get install -y ${packages[*]}"
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"

status=0
for package in "${packages[@]}"; do
    case "$package" in
        postgresql)
            if found="$(find_pg_ctl)"; then
                echo "PostgreSQL installed ($found)."
            else
                echo "apt-get installed postgresql, but pg_ctl is still not found." >&2
                status=1
            fi
            ;;
        chromium)
            if [ -x "$CHROMIUM" ]; then
                echo "Chromium installed ($CHROMIUM)."
            else
                echo "apt-get installed chromium, but $CHROMIUM is still not there." >&2
                status=1
            fi
            ;;
    esac
done
exit "$status"
