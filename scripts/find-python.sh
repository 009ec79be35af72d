#!/bin/sh
# Print a Python interpreter >= 3.12 (Django 6.1 needs it): $PYTHON if set, else the newest found on
# PATH, else one installed by pyenv. Exit 1 with a message when none exists.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not Python 3.12 or newer" >&2; exit 1
fi
for candidate in python3.12 python3.13 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
for path in "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
            /usr/local/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.13; do
  if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
echo "OpenCERS needs Python 3.12 or newer (Django 6.1). Install it, or set PYTHON=/path/to/python3.12." >&2
exit 1
