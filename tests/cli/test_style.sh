#!/usr/bin/env bash
# Source hygiene: the banned C functions of STYLE.md section 8 never
# appear in the project's code, and every .c/.h starts with a comment.
set -u
cd "${GN_SOURCE_DIR:?}"
fail=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tools/*.c' 'tools/*.h' 2>/dev/null || \
        find src include tools -name '*.[ch]')
for f in $files; do
  if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atof|gets)\s*\(' "$f" \
     | grep -vE '^\s*[0-9]+:\s*(\*|//)'; then
    echo "banned function in $f"; fail=1
  fi
  if ! head -c 2 "$f" | grep -q '/\*'; then
    echo "$f: no module header comment"; fail=1
  fi
done
if [ $fail -ne 0 ]; then exit 1; fi
echo "style: $(echo "$files" | wc -w) files clean"
