#!/usr/bin/env bash
# Every document stands on files in the repository: each relative link in README.md and docs/ names a
# file or folder that exists inside the repository, and no page cites material kept outside it.
# Usage: tests/docs-links.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
problems=0
while IFS= read -r page; do
    dir="$(dirname "$page")"
    while IFS= read -r target; do
        target="${target%%#*}"
        [[ -z $target || $target == *://* || $target == mailto:* ]] && continue
        resolved="$(realpath -m "$dir/$target")"
        if [[ $resolved != "$root"/* && $resolved != "$root" ]]; then
            printf '%s: link outside the repository: %s\n' "${page#"$root"/}" "$target"
            problems=$((problems + 1))
        elif [[ ! -e $resolved ]]; then
            printf '%s: broken link: %s\n' "${page#"$root"/}" "$target"
            problems=$((problems + 1))
        fi
    done < <(grep -o '\](\([^)]*\))' "$page" | sed 's/^](//; s/)$//')
    # A path in backquotes that points at material outside the repository.
    # shellcheck disable=SC2016 # the backquotes are the Markdown ones, not an expansion
    if grep -n -E '`(\.\./shared/|spec/)[^`]*`' "$page"; then
        printf '%s: cites a file that is not in the repository (above)\n' "${page#"$root"/}"
        problems=$((problems + 1))
    fi
done < <(find "$root/README.md" "$root/docs" -name '*.md' | sort)
if ((problems)); then
    printf 'FAIL: %d problem(s)\n' "$problems"
    exit 1
fi
echo "PASS: every link in README.md and docs/ resolves inside the repository"
