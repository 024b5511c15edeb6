# Shared set-up for scripts/serve and scripts/test: everything a fresh machine lacks, made
# idempotent so a warm machine skips it in a second or two.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUN_VERSION="1.4.4"  # the version Reflex 0.10 pins (reflex_base.constants.Bun.VERSION)
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"

say() { printf '\033[1m[wingwatch]\033[0m %s\n' "$*" >&2; }

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  say "Python 3.11 or newer is needed."; return 1
}

ensure_python() {
  local stamp="$VENV/.wingwatch-deps" want
  want="$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the Python environment in .venv"
    "$(pick_python)" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python dependencies"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[test]"
    echo "$want" > "$stamp"
  fi
  ensure_fonts
}

# The subject-access report's PDF embeds DejaVu Sans, for the region's Latin and Cyrillic
# letters (app/services/access_report_pdf.py): Debian's fonts-dejavu-core, installed here if
# missing and we may. Both scripts/serve and scripts/test come through ensure_python.
ensure_fonts() {
  local dir="${WINGWATCH_REPORT_FONT_DIR:-/usr/share/fonts/truetype/dejavu}"
  if [ -f "$dir/DejaVuSans.ttf" ] && [ -f "$dir/DejaVuSans-Bold.ttf" ]; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "Installing Debian's fonts-dejavu-core (the subject-access report's PDF font)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >&2
  else
    say "DejaVu Sans is missing: install fonts-dejavu-core (or your system's DejaVu fonts and"
    say "set WINGWATCH_REPORT_FONT_DIR to their folder); the report's PDF needs it."
  fi
}

# Reflex's own bun download needs the open internet; bun from the npm registry does not.
ensure_bun() {
  local bun="$TOOLS/node_modules/.bin/bun"
  if [ ! -x "$bun" ] || [ "$("$bun" --version 2>/dev/null)" != "$BUN_VERSION" ]; then
    say "Installing bun $BUN_VERSION for the frontend build"
    command -v npm >/dev/null || { say "npm (Node.js) is needed to fetch bun."; return 1; }
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "bun@$BUN_VERSION" >&2
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
  export REFLEX_USE_SYSTEM_BUN=1
}

# Chromium for the end-to-end tests: Playwright's own where it can be downloaded, else the
# system's (Debian's `chromium` package, installed here if missing and we may).
ensure_chromium() {
  if [ -n "${WINGWATCH_CHROMIUM:-}" ]; then return 0; fi
  if "$VENV/bin/python" -m playwright install chromium >/dev/null 2>&1; then
    say "Using Playwright's Chromium"; return 0
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      say "Installing Debian's chromium (Playwright's download is not reachable)"
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    else
      say "No Chromium: run 'playwright install chromium' or install your system's chromium."
      return 1
    fi
  fi
  export WINGWATCH_CHROMIUM="$(command -v chromium)"
  say "Using $WINGWATCH_CHROMIUM"
}
