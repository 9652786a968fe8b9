#!/usr/bin/env python3
"""Generate render/unicode_tables.c for jikji.

Reads Unicode 15.0.0 character data (Debian package `unicode-data`) and
writes a compact three-stage lookup table mapping every code point
0..0x10FFFF to a 16-bit property word (see render/unicode_tables.h):

    bits 0-5   line break class (UAX #14), LB1 partly resolved:
               AI, SG, XX -> AL; SA -> CM (gc Mn/Mc) or AL.
               CJ is kept distinct (JK__LB_CJ) so keep-all can treat small
               kana as letters; the algorithm resolves it to NS.
    bits 6-9   Grapheme_Cluster_Break (UAX #29)
    bit 10     Extended_Pictographic
    bit 11     Extended_Pictographic and General_Category = Cn (LB30b)
    bit 12     Canonical_Combining_Class != 0
    bit 13     Hangul letter or Han ideograph
    bit 14     East_Asian_Width F/W/H (recorded for OP and CP only, LB30)

Stdlib only.  Usage:
    python3 render/gen_unicode_tables.py [UNICODE_DIR] [OUTPUT]
defaults: /usr/share/unicode and render/unicode_tables.c next to this script.
"""

import os
import sys

UNICODE_VERSION = "15.0.0"

# Must match enum jk__lb in unicode_tables.h (checked by
# _Static_assert in the generated file).
LB_CLASSES = [
    "BK", "CR", "LF", "NL", "SP", "ZW", "ZWJ", "CM", "WJ", "GL",
    "CB", "CL", "CP", "EX", "IS", "SY", "OP", "QU", "NS", "B2",
    "BA", "BB", "HY", "IN", "HL", "AL", "NU", "PR", "PO", "ID",
    "EB", "EM", "H2", "H3", "JL", "JV", "JT", "RI", "CJ",
]
LB_INDEX = {name: i for i, name in enumerate(LB_CLASSES)}

GCB_CLASSES = [
    "Other", "CR", "LF", "Control", "Extend", "ZWJ", "Regional_Indicator",
    "Prepend", "SpacingMark", "L", "V", "T", "LV", "LVT",
]
GCB_ENUM = [
    "OTHER", "CR", "LF", "CONTROL", "EXTEND", "ZWJ", "RI",
    "PREPEND", "SPACINGMARK", "L", "V", "T", "LV", "LVT",
]
GCB_INDEX = {name: i for i, name in enumerate(GCB_CLASSES)}

NCP = 0x110000


def parse_ranges(path, wanted=None):
    """Yield (first, last, value) from a UCD semicolon file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            cps = fields[0]
            value = fields[1]
            if wanted is not None and value != wanted:
                continue
            if ".." in cps:
                a, b = cps.split("..")
                yield int(a, 16), int(b, 16), value
            else:
                c = int(cps, 16)
                yield c, c, value


def read_unicode_data(path):
    """Return (gc, ccc, hangul_or_han) arrays."""
    gc = ["Cn"] * NCP
    ccc = [0] * NCP
    hh = [False] * NCP
    pending = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            if len(fields) < 4:
                continue
            cp = int(fields[0], 16)
            name = fields[1]
            cat = fields[2]
            comb = int(fields[3])
            if name.endswith(", First>"):
                pending = (cp, name, cat, comb)
                continue
            if name.endswith(", Last>"):
                first, fname, cat, comb = pending
                pending = None
                lo, hi = first, cp
                label = fname
            else:
                lo = hi = cp
                label = name
            is_hh = False
            if cat.startswith("L"):
                if label.startswith("<CJK Ideograph") or \
                        label.startswith("CJK COMPATIBILITY IDEOGRAPH-") or \
                        label.startswith("<Hangul Syllable") or \
                        label.startswith("HANGUL ") or \
                        label.startswith("HALFWIDTH HANGUL LETTER"):
                    is_hh = True
            for c in range(lo, hi + 1):
                gc[c] = cat
                ccc[c] = comb
                hh[c] = is_hh
    return gc, ccc, hh


def build_props(udir):
    gc, ccc, hh = read_unicode_data(os.path.join(udir, "UnicodeData.txt"))

    lb = ["XX"] * NCP
    for a, b, v in parse_ranges(os.path.join(udir, "LineBreak.txt")):
        for c in range(a, b + 1):
            lb[c] = v

    eaw = ["N"] * NCP
    for a, b, v in parse_ranges(os.path.join(udir, "EastAsianWidth.txt")):
        for c in range(a, b + 1):
            eaw[c] = v

    gcb = [0] * NCP
    for a, b, v in parse_ranges(os.path.join(
            udir, "auxiliary", "GraphemeBreakProperty.txt")):
        for c in range(a, b + 1):
            gcb[c] = GCB_INDEX[v]

    ep = [False] * NCP
    for a, b, _ in parse_ranges(os.path.join(udir, "emoji", "emoji-data.txt"),
                                "Extended_Pictographic"):
        for c in range(a, b + 1):
            ep[c] = True

    props = [0] * NCP
    for c in range(NCP):
        cls = lb[c]
        # LB1 (AI, SG, XX -> AL; SA -> CM or AL).  CJ is resolved at run time.
        if cls in ("AI", "SG", "XX"):
            cls = "AL"
        elif cls == "SA":
            cls = "CM" if gc[c] in ("Mn", "Mc") else "AL"
        v = LB_INDEX[cls]
        v |= gcb[c] << 6
        if ep[c]:
            v |= 1 << 10
            if gc[c] == "Cn":
                v |= 1 << 11
        if ccc[c] != 0:
            v |= 1 << 12
        if hh[c]:
            v |= 1 << 13
        if cls in ("OP", "CP") and eaw[c] in ("F", "W", "H"):
            v |= 1 << 14
        props[c] = v
    return props


def build_trie(values, s_hi, s_lo):
    """Three-stage trie: stage1[cp >> s_hi] -> block of stage2 (indexed by
    (cp >> s_lo) & mask2) -> block of stage3 (indexed by cp & mask3)."""
    size3 = 1 << s_lo
    size2 = 1 << (s_hi - s_lo)
    # stage 3 blocks
    blocks3 = {}
    stage3 = []
    l2_refs = []
    for start in range(0, len(values), size3):
        blk = tuple(values[start:start + size3])
        if blk not in blocks3:
            blocks3[blk] = len(stage3) // size3
            stage3.extend(blk)
        l2_refs.append(blocks3[blk])
    blocks2 = {}
    stage2 = []
    stage1 = []
    for start in range(0, len(l2_refs), size2):
        blk = tuple(l2_refs[start:start + size2])
        if blk not in blocks2:
            blocks2[blk] = len(stage2) // size2
            stage2.extend(blk)
        stage1.append(blocks2[blk])
    return stage1, stage2, stage3


def ctype_for(maxval):
    if maxval < 256:
        return "uint8_t", 1
    if maxval < 65536:
        return "uint16_t", 2
    return "uint32_t", 4


def trie_size(st1, st2, st3):
    return (len(st1) * ctype_for(max(st1))[1] +
            len(st2) * ctype_for(max(st2))[1] +
            len(st3) * ctype_for(max(st3))[1])


def emit_array(out, ctype, name, data, per_line=16):
    out.append("static const %s %s[%d] = {" % (ctype, name, len(data)))
    width = 3 if ctype == "uint8_t" else 5
    for i in range(0, len(data), per_line):
        chunk = data[i:i + per_line]
        out.append("    " + ",".join("%*d" % (width, x) for x in chunk) + ",")
    out.append("};")
    out.append("")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    udir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
    outpath = sys.argv[2] if len(sys.argv) > 2 else \
        os.path.join(here, "unicode_tables.c")

    props = build_props(udir)

    # Map distinct property words to a one-byte index.
    distinct = sorted(set(props))
    if len(distinct) > 256:
        raise SystemExit("too many distinct property words: %d" % len(distinct))
    index_of = {v: i for i, v in enumerate(distinct)}
    idx = [index_of[v] for v in props]

    best = None
    for s_hi in range(8, 15):
        for s_lo in range(3, s_hi):
            st = build_trie(idx, s_hi, s_lo)
            size = trie_size(*st)
            if best is None or size < best[0]:
                best = (size, s_hi, s_lo, st)
    size, s_hi, s_lo, (st1, st2, st3) = best
    total = size + 2 * len(distinct)

    # Property word for values outside the code space (treated as XX).
    default_word = LB_INDEX["AL"]

    t1, _ = ctype_for(max(st1))
    t2, _ = ctype_for(max(st2))
    t3, _ = ctype_for(max(st3))

    out = []
    out.append("/* Generated by render/gen_unicode_tables.py from Unicode %s"
               " character data" % UNICODE_VERSION)
    out.append(" * (LineBreak.txt, EastAsianWidth.txt, emoji-data.txt,")
    out.append(" * GraphemeBreakProperty.txt, UnicodeData.txt).  DO NOT EDIT.")
    out.append(" *")
    out.append(" * Three-stage trie: %d + %d + %d entries, %d distinct property"
               " words;" % (len(st1), len(st2), len(st3), len(distinct)))
    out.append(" * %d bytes in total. */" % total)
    out.append("")
    out.append("#include \"unicode_tables.h\"")
    out.append("")
    for i, name in enumerate(LB_CLASSES):
        out.append("_Static_assert(JK__LB_%s == %d, \"LB class numbering\");"
                   % (name, i))
    for i, name in enumerate(GCB_ENUM):
        out.append("_Static_assert(JK__GCB_%s == %d, \"GCB numbering\");"
                   % (name, i))
    out.append("")
    out.append("#define JK__UT_SHIFT_HI %d" % s_hi)
    out.append("#define JK__UT_SHIFT_LO %d" % s_lo)
    out.append("")
    out.append("static const uint16_t jk__ut_words[%d] = {" % len(distinct))
    for i in range(0, len(distinct), 8):
        out.append("    " + ",".join("0x%04x" % x for x in distinct[i:i + 8])
                   + ",")
    out.append("};")
    out.append("")
    emit_array(out, t1, "jk__ut_stage1", st1)
    emit_array(out, t2, "jk__ut_stage2", st2)
    emit_array(out, t3, "jk__ut_stage3", st3)
    out.append("uint16_t jk__uprops(uint32_t cp)")
    out.append("{")
    out.append("    if (cp > 0x10FFFFu)")
    out.append("        return 0x%04x; /* XX -> AL, GCB Other */" % default_word)
    out.append("    return jk__ut_words[jk__ut_stage3[")
    out.append("        ((uint32_t)jk__ut_stage2[")
    out.append("            ((uint32_t)jk__ut_stage1[cp >> JK__UT_SHIFT_HI]"
               " << (JK__UT_SHIFT_HI - JK__UT_SHIFT_LO))")
    out.append("            + ((cp >> JK__UT_SHIFT_LO) &"
               " ((1u << (JK__UT_SHIFT_HI - JK__UT_SHIFT_LO)) - 1u))]"
               " << JK__UT_SHIFT_LO)")
    out.append("        + (cp & ((1u << JK__UT_SHIFT_LO) - 1u))]];")
    out.append("}")
    out.append("")
    with open(outpath, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))
    sys.stderr.write("wrote %s: %d distinct words, shifts %d/%d, %d bytes\n"
                     % (outpath, len(distinct), s_hi, s_lo, total))


if __name__ == "__main__":
    main()
