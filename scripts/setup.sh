# Sourced by ./run and ./test: create .venv/ if missing and install the project into it.
# Re-installs only when pyproject.toml or the requested extras change (a stamp file records them).
setup_venv() {
    local extras="$1" py="${PYTHON:-python3}" spec="." stamp want
    if [ -n "$extras" ]; then spec=".[${extras}]"; fi
    if [ ! -x .venv/bin/python ]; then
        "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || { echo "newsbot needs Python >= 3.11 (found $("$py" --version 2>&1)); set PYTHON=python3.11" >&2; exit 1; }
        echo "Creating .venv/ ..." >&2
        "$py" -m venv .venv
    fi
    want="$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras}"
    stamp=".venv/.newsbot-installed"
    if [ -f "$stamp" ] && grep -qx -- "$want" "$stamp"; then return 0; fi
    # An extras set that includes what was asked already counts (./test installs a superset of ./run).
    if [ -f "$stamp" ] && [ -z "$extras" ] && grep -q -- "^$(cat pyproject.toml | sha256sum | cut -c1-16)-" "$stamp"; then return 0; fi
    echo "Installing newsbot into .venv/ (${spec}); the first time takes a few minutes ..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >&2
    .venv/bin/python -m pip install --quiet -e "$spec" >&2
    echo "$want" > "$stamp"
}
