#!/bin/sh
# Refresh the vendored FKUI files (Försäkringskassan's design system, MIT) from the npm registry.
#
#   scripts/refresh_fkui.sh            # the latest published versions
#   scripts/refresh_fkui.sh 6.44.0     # a given @fkui/design and @fkui/theme-default version
#
# Needs only `npm` (for `npm pack`, which downloads a package's tarball); nothing is built and
# nothing is installed. The result is committed: a user of Stegvis never runs this.
set -eu

VERSION="${1:-latest}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/stegvis/web/static/vendor/fkui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@fkui/design@$VERSION" "@fkui/theme-default@$VERSION" "@fkui/font-default" >/dev/null
for tarball in *.tgz; do
  name="${tarball%.tgz}"
  mkdir "$name"
  tar -xzf "$tarball" -C "$name"
done
design=$(ls -d fkui-design-*/)package
theme=$(ls -d fkui-theme-default-*/)package
font=$(ls -d fkui-font-default-*/)package
version() { sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$1/package.json" | head -n 1; }

rm -rf "$DEST"
mkdir -p "$DEST/fonts"
cp "$design/lib/fkui.min.css" "$DEST/fkui.min.css"
cp "$theme/dist/theme-light.css" "$DEST/theme-light.css"
# The weights the theme uses: normal 400, medium 600, bold 700.
for weight in Regular SemiBold Bold; do
  cp "$font/fonts/Inter-$weight.woff2" "$DEST/fonts/"
done
# @fkui/font-default ships SCSS only; this is what its `font` mixin compiles to.
cat >"$DEST/font-default.css" <<'CSS'
/* @fkui/font-default: the Inter font (SIL Open Font License 1.1) and FKUI's font variables. */
@font-face { font-family: Inter; font-weight: 400; font-display: swap; src: url("fonts/Inter-Regular.woff2") format("woff2"); }
@font-face { font-family: Inter; font-weight: 600; font-display: swap; src: url("fonts/Inter-SemiBold.woff2") format("woff2"); }
@font-face { font-family: Inter; font-weight: 700; font-display: swap; src: url("fonts/Inter-Bold.woff2") format("woff2"); }
:root {
  --f-font-family: "Inter", arial, "Helvetica Neue", sans-serif;
  --f-font-weight-normal: 400;
  --f-font-weight-medium: 600;
  --f-font-weight-bold: 700;
}
CSS
# @fkui/design's lib/fonts.css: the body text in the theme's font.
cat "$design/lib/fonts.min.css" >>"$DEST/font-default.css"
echo >>"$DEST/font-default.css"
cp "$design/LICENSE.md" "$DEST/LICENSE-fkui-design.md"
cp "$theme/LICENSE.md" "$DEST/LICENSE-fkui-theme-default.md"
cp "$font/LICENSE.md" "$DEST/LICENSE-fkui-font-default.md"
cat >"$DEST/VERSION.txt" <<TXT
Vendored by scripts/refresh_fkui.sh from the npm registry (npm pack), $(date -u +%Y-%m-%d).
@fkui/design $(version "$design") (lib/fkui.min.css), MIT, https://github.com/Forsakringskassan/designsystem
@fkui/theme-default $(version "$theme") (dist/theme-light.css), MIT
@fkui/font-default $(version "$font") (fonts/Inter-{Regular,SemiBold,Bold}.woff2), MIT; the Inter font itself: SIL Open Font License 1.1, https://rsms.me/inter/
TXT
cat "$DEST/VERSION.txt"
