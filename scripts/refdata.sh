#!/usr/bin/env bash
# refdata.sh — regenerate the reference data embedded by package refdata
# (countries and languages with English and Italian names) from Debian's
# iso-codes package.
#
# What it does:
#   * reads the ISO 3166-1 and ISO 639-2/639-3 tables of iso-codes
#     (/usr/share/iso-codes/json/*.json) and the Italian translations of their
#     names from the gettext catalogues (/usr/share/locale/it/LC_MESSAGES/
#     iso_3166-1.mo, iso_639-3.mo, iso_639-2.mo), with a small Python
#     generator kept below (the .mo files are parsed directly; no gettext
#     tools are needed);
#   * writes, UTF-8, tab-separated, one header line, sorted by code:
#       refdata/countries.tsv  alpha2 alpha3 numeric english italian
#       refdata/languages.tsv  alpha2 alpha3 alpha3b scope english italian
#     An empty "italian" means iso-codes has no Italian translation; the Go
#     package then falls back to the English name;
#   * copies the iso-codes copyright file to refdata/ISO-CODES-COPYRIGHT and
#     the LGPL 2.1 text it refers to to refdata/LGPL-2.1;
#   * writes refdata/SOURCE: the iso-codes version (dpkg-query), the sha256
#     of every input, the row counts and the local corrections.
#
# Which languages are kept (not all ~8,000 of ISO 639-3):
#   * every ISO 639-3 entry that has an ISO 639-1 two-letter code (individual
#     languages and macrolanguages such as ar, fa, ps, sq, ku);
#   * the EXTRA codes listed in the generator, languages without a two-letter
#     code that the people Approdo serves speak (each with its reason);
#   * "ber" (Berber languages), a collective ISO 639-2 code that ISO 639-3
#     does not have, for when the variety is not known.
#
# Name rules:
#   * country, English: the iso-codes common name when there is one
#     ("Bolivia", "Iran", "Vietnam"), else its name;
#   * country, Italian: the translation of the common name, else of the name;
#     TR has a local correction (see COUNTRY_IT_CORRECTIONS);
#   * language, English: the ISO 639-3 name without " (macrolanguage)";
#   * language, Italian: a real translation from the ISO 639-3 catalogue, else
#     a real one from the ISO 639-2 catalogue ("Somali" -> "Somalo"), else the
#     catalogue's own copy of the English name ("Hausa"), else empty; when a
#     translation lists alternatives ("Turkmeno; Turcomanno") the first is
#     kept, and the first letter is capitalised ("armeno" -> "Armeno").
#
# It is idempotent: every run rewrites exactly the files listed above, and the
# output depends only on the inputs. It can be run from any directory. It needs
# bash, python3 (3.8+), sha256sum and dpkg-query (or ISO_CODES_VERSION set).
# ISO_CODES_JSON and ISO_CODES_LOCALE override the input folders.
#
# To upgrade: install the new iso-codes, re-run, review the diff and run
# `go test ./refdata/`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/refdata"
JSON_DIR="${ISO_CODES_JSON:-/usr/share/iso-codes/json}"
LOCALE_DIR="${ISO_CODES_LOCALE:-/usr/share/locale/it/LC_MESSAGES}"
COPYRIGHT="/usr/share/doc/iso-codes/copyright"
LGPL="/usr/share/common-licenses/LGPL-2.1"

if [[ -z "${ISO_CODES_VERSION:-}" ]]; then
	ISO_CODES_VERSION="$(dpkg-query -W -f='${Version}' iso-codes)"
fi

for f in "$JSON_DIR/iso_3166-1.json" "$JSON_DIR/iso_639-3.json" "$JSON_DIR/iso_639-2.json" \
	"$LOCALE_DIR/iso_3166-1.mo" "$LOCALE_DIR/iso_639-3.mo" "$LOCALE_DIR/iso_639-2.mo" \
	"$COPYRIGHT" "$LGPL"; do
	[[ -r "$f" ]] || { echo "refdata.sh: missing input $f" >&2; exit 1; }
done

mkdir -p "$OUT"

python3 - "$JSON_DIR" "$LOCALE_DIR" "$OUT" <<'PY'
import json
import os
import struct
import sys

json_dir, locale_dir, out = sys.argv[1:4]

# Languages without an ISO 639-1 code that are kept, with the reason.
EXTRA = {
    # Horn of Africa
    "tig": "Tigre, spoken in Eritrea beside Tigrinya",
    # Afghanistan, Pakistan, Bangladesh
    "prs": "Dari, the Persian of Afghanistan",
    "pnb": "Western Panjabi, the Punjabi of Pakistan (Shahmukhi script)",
    "syl": "Sylheti, the first language of many Bangladeshis in Italy",
    "ctg": "Chittagonian, spoken around Chittagong, Bangladesh",
    # West Africa
    "fuc": "Pulaar (Fula of Senegal, Gambia, Mauritania)",
    "fuf": "Pular (Fula of Guinea)",
    "mnk": "Mandinka (Gambia, Senegal, Guinea-Bissau)",
    "snk": "Soninke (Mali, Senegal, Gambia, Mauritania)",
    "sus": "Susu (Guinea, Sierra Leone)",
    "kri": "Krio, lingua franca of Sierra Leone",
    "dyu": "Dyula, lingua franca of Côte d'Ivoire and Burkina Faso",
    "pcm": "Nigerian Pidgin",
    "bin": "Edo (Bini), Edo State, Nigeria: most Nigerian trafficking victims come from there",
    "ish": "Esan, also of Edo State, Nigeria",
    # North Africa and the Middle East
    "tzm": "Central Atlas Tamazight (Morocco)",
    "zgh": "Standard Moroccan Tamazight, Morocco's official standard",
    "kab": "Kabyle (Algeria)",
    "shi": "Tachelhit (southern Morocco)",
    "rif": "Tarifit (Rif, northern Morocco)",
    "arz": "Egyptian Arabic",
    "aeb": "Tunisian Arabic",
    "ary": "Moroccan Arabic (Darija)",
    "arq": "Algerian Arabic",
    "ayl": "Libyan Arabic",
    "apd": "Sudanese Arabic",
    "apc": "North Levantine Arabic (Syria, Lebanon)",
    "ajp": "South Levantine Arabic (Palestine, Jordan)",
    "ckb": "Central Kurdish (Sorani; Iraq, Iran)",
    "kmr": "Northern Kurdish (Kurmanji; Turkey, Syria)",
}
# A collective ISO 639-2 code that ISO 639-3 does not have.
COLLECTIVE = {"ber": "Berber languages, when the variety is not known"}

# Local corrections of Italian country names, each with its reason.
COUNTRY_IT_CORRECTIONS = {
    # iso-codes renamed "Turkey" to "Türkiye" in 2022 and the Italian
    # catalogue has no entry for the new name; Italian (and ISTAT) say Turchia.
    "TR": "Turchia",
}


def read_mo(path):
    """Return the msgid -> msgstr map of a GNU .mo file (no plurals, no context)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0x950412DE:
        end = "<"
    elif magic == 0xDE120495:
        end = ">"
    else:
        sys.exit("refdata: %s is not a .mo file" % path)
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    out = {}
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        msgid = data[oo: oo + ol].decode("utf-8")
        msgstr = data[to: to + tl].decode("utf-8")
        if msgid == "" or "\x00" in msgid or "\x04" in msgid or msgstr == "":
            continue  # header, plural forms, context: not used by iso-codes names
        out[msgid] = msgstr
    return out


def load(name, key):
    with open(os.path.join(json_dir, name), encoding="utf-8") as f:
        return json.load(f)[key]


def first_alternative(s):
    return s.split(";")[0].strip()


def capitalise(s):
    return s[:1].upper() + s[1:]


def strip_macro(s):
    for suffix in (" (macrolanguage)", " (macro-lingua)"):
        if s.endswith(suffix):
            return s[: -len(suffix)]
    return s


def clean(s):
    if "\t" in s or "\n" in s or "\r" in s:
        sys.exit("refdata: a name contains a tab or newline: %r" % s)
    return s


def write_tsv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(clean(c) for c in r) + "\n")


# Countries.
it3166 = read_mo(os.path.join(locale_dir, "iso_3166-1.mo"))
countries = []
for c in load("iso_3166-1.json", "3166-1"):
    english = c.get("common_name") or c["name"]
    italian = it3166.get(c.get("common_name", "")) or it3166.get(c["name"], "")
    italian = COUNTRY_IT_CORRECTIONS.get(c["alpha_2"], italian)
    countries.append([c["alpha_2"], c["alpha_3"], c["numeric"], english, capitalise(italian)])
countries.sort()
write_tsv(os.path.join(out, "countries.tsv"),
          ["alpha2", "alpha3", "numeric", "english", "italian"], countries)

# Languages.
it6393 = read_mo(os.path.join(locale_dir, "iso_639-3.mo"))
it6392 = read_mo(os.path.join(locale_dir, "iso_639-2.mo"))
part2 = {l["alpha_3"]: l for l in load("iso_639-2.json", "639-2")}


def italian_language(name3, alpha3):
    english = strip_macro(name3)
    t3 = strip_macro(first_alternative(it6393.get(name3, "")))
    p2 = part2.get(alpha3)
    t2 = first_alternative(it6392.get(p2["name"], "")) if p2 else ""
    e2 = first_alternative(p2["name"]) if p2 else ""
    if t3 and t3 != english:
        return t3
    if t2 and t2 != e2:
        return t2
    return t3 or t2


languages = []
wanted = dict(EXTRA)
for l in load("iso_639-3.json", "639-3"):
    code = l["alpha_3"]
    if "alpha_2" not in l and code not in wanted:
        continue
    wanted.pop(code, None)
    p2 = part2.get(code, {})
    languages.append([l.get("alpha_2", ""), code, p2.get("bibliographic", ""), l["scope"],
                      strip_macro(l["name"]), capitalise(italian_language(l["name"], code))])
if wanted:
    sys.exit("refdata: not in ISO 639-3: %s" % ", ".join(sorted(wanted)))
for code in sorted(COLLECTIVE):
    p2 = part2[code]
    languages.append(["", code, "", "C", p2["name"],
                      capitalise(first_alternative(it6392.get(p2["name"], "")))])
languages.sort(key=lambda r: r[0] or r[1])
write_tsv(os.path.join(out, "languages.tsv"),
          ["alpha2", "alpha3", "alpha3b", "scope", "english", "italian"], languages)

print("countries %d, languages %d (two-letter %d, extra %d, collective %d)" % (
    len(countries), len(languages), sum(1 for r in languages if r[0]), len(EXTRA), len(COLLECTIVE)))
PY

cp "$COPYRIGHT" "$OUT/ISO-CODES-COPYRIGHT"
cp "$LGPL" "$OUT/LGPL-2.1"

sum() { sha256sum "$1" | cut -d' ' -f1; }
rows() { echo $(($(wc -l <"$1") - 1)); }
{
	echo "iso-codes $ISO_CODES_VERSION (Debian package iso-codes)"
	echo "Licence: LGPL-2.1-or-later; see ISO-CODES-COPYRIGHT and LGPL-2.1 in this folder."
	echo "Upstream: https://salsa.debian.org/iso-codes-team/iso-codes"
	echo "Generated by scripts/refdata.sh; do not edit the .tsv files by hand."
	echo
	echo "Inputs (sha256):"
	for f in "$JSON_DIR/iso_3166-1.json" "$JSON_DIR/iso_639-3.json" "$JSON_DIR/iso_639-2.json" \
		"$LOCALE_DIR/iso_3166-1.mo" "$LOCALE_DIR/iso_639-3.mo" "$LOCALE_DIR/iso_639-2.mo"; do
		echo "  $(sum "$f")  $(basename "$f")"
	done
	echo
	echo "Outputs: countries.tsv $(rows "$OUT/countries.tsv") rows, languages.tsv $(rows "$OUT/languages.tsv") rows."
	echo
	echo "Local corrections:"
	echo "  TR Italian name \"Turchia\": iso-codes renamed Turkey to Türkiye in 2022 and"
	echo "  its Italian catalogue has no translation of the new name."
} >"$OUT/SOURCE"

echo "refdata.sh: wrote $OUT/{countries.tsv,languages.tsv,SOURCE,ISO-CODES-COPYRIGHT,LGPL-2.1}"
