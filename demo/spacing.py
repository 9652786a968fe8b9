#!/usr/bin/env python3
"""Word-gap spacing measured on the pixels of rendered pages.

Usage:
    python3 demo/spacing.py --em PX --left X --right X [--json] PAGE.png...

  --em PX     the body size in pixels (12 pt at 212 dpi = 12*212/72 = 35.33)
  --left X    x of the text box's left edge in pixels (the left margin)
  --right X   x of the text box's right edge (page width - right margin)

The same definition is applied to every engine's pages, so it compares
engines without trusting what any of them says about itself:

  1. Ink: a pixel darker than gray 160 (0 = black, 255 = white).  Only
     columns from left - 1 em to right + 1 em count (hanging punctuation
     stays in; anything far out in the margins does not).
  2. Lines: rows holding any ink, grouped into runs of consecutive rows.
     Runs separated by at most 0.15 em of blank rows are merged (dots,
     accents and stacked jamo belong to their line); merged runs less than
     0.3 em tall are noise and dropped.
  3. Word gaps: inside a line, the columns with no ink in any of the
     line's rows; a run of such columns between the line's first and last
     ink column wider than 0.18 em is a gap.
  4. A line is justified when its last ink column is within 0.25 em of
     `right` (it reaches the right edge of the box).  A justified line is
     loose when its widest gap exceeds 0.6 em.

Reported per page and in total: lines, justified lines, loose lines and
their share of the justified ones, and the widest gap of any justified line
(in em).

Pages are PNG files decoded here with zlib (no PIL): gray, gray+alpha,
RGB, RGBA and palette images, bit depths 1-16, all five filter types, no
interlacing.  Colour is reduced to its green channel (text is gray, so the
channels agree), alpha is composited over white; only the channels used
are unfiltered.  `jikji render` and `mutool draw -c gray` write 8-bit gray,
Typst RGBA, and poppler 22's `pdftoppm -gray -png` RGB with R = G = B.
Binary PGM (P5) is read too.

Importable: measure_file(path, em, left, right) -> dict, and total(dicts).
"""
import argparse
import itertools
import json
import re
import struct
import sys
import zlib

INK = 160           # gray below this is ink
MERGE_EM = 0.15     # blank rows inside one line, at most
MIN_LINE_EM = 0.3   # shorter runs of rows are noise
GAP_EM = 0.18       # a blank column run wider than this is a word gap
EDGE_EM = 0.25      # a line reaching this close to `right` is justified
LOOSE_EM = 0.6      # a justified line with a wider gap is loose
CLIP_EM = 1.0       # columns considered: [left - 1 em, right + 1 em]

# --------------------------------------------------------------- decoding


def _add_bytes(x, y):
    """Bytewise (x + y) mod 256 of two equal-length byte strings without a
    Python loop: SWAR on big integers (add the low 7 bits of every byte,
    then xor in the sum of the top bits, which drops the carry out)."""
    n = len(x)
    lo = int.from_bytes(b"\x7f" * n, "big")
    hi = int.from_bytes(b"\x80" * n, "big")
    a, b = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    return (((a & lo) + (b & lo)) ^ ((a ^ b) & hi)).to_bytes(n, "big")


def _unfilter_lane(ftype, line, prev):
    """Undo one PNG filter on one byte lane: the bytes of a row that are
    bpp apart, whose left neighbour is the byte before in the lane.  PNG
    filters never mix lanes, so each channel is decoded on its own."""
    if ftype == 0:
        return line
    if ftype == 2:
        return _add_bytes(line, prev)
    if ftype == 1:
        return bytes(itertools.accumulate(line, lambda s, v: (s + v) & 255))
    out = bytearray(len(line))
    left = upleft = 0
    if ftype == 3:
        for i, (v, up) in enumerate(zip(line, prev)):
            left = out[i] = (v + ((left + up) >> 1)) & 255
        return bytes(out)
    if ftype == 4:
        if not any(line) and prev.count(prev[0]) == len(prev):
            return prev                  # a blank row under a blank row
        for i, (v, up) in enumerate(zip(line, prev)):
            p = left + up - upleft
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
            if pa <= pb and pa <= pc:
                pred = left
            elif pb <= pc:
                pred = up
            else:
                pred = upleft
            left = out[i] = (v + pred) & 255
            upleft = up
        return bytes(out)
    raise ValueError("bad PNG filter type %d" % ftype)


def _unfilter(raw, height, stride, bpp, lanes):
    """The given byte lanes of every row, unfiltered: [[lane bytes]]."""
    rows, prev, pos = [], [bytes(len(range(k, stride, bpp))) for k in lanes], 0
    for _ in range(height):
        ftype, line = raw[pos], raw[pos + 1:pos + 1 + stride]
        pos += 1 + stride
        prev = [_unfilter_lane(ftype, line[k::bpp], p)
                for k, p in zip(lanes, prev)]
        rows.append(prev)
    return rows


def _unpack_bits(row, depth, width, scale):
    """Samples of 1, 2 or 4 bits -> one byte each (gray scaled to 0..255,
    palette indices as they are)."""
    per, mask = 8 // depth, (1 << depth) - 1
    k = 255 // mask if scale else 1
    table = [bytes(((b >> (8 - depth * (j + 1))) & mask) * k
                   for j in range(per)) for b in range(256)]
    return b"".join(table[b] for b in row)[:width]


def read_png(path):
    """(width, height, rows): rows are bytes of 8-bit gray, one per row."""
    data = open(path, "rb").read()
    if data[:2] == b"P5":
        return _read_pgm(data)
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s: not a PNG" % path)
    pos, idat, palette, ihdr = 8, [], None, None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = ihdr
    if interlace:
        raise ValueError("%s: interlaced PNG not supported" % path)
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bits = channels * depth
    stride, bpp = (w * bits + 7) // 8, max(1, bits // 8)
    # The lanes needed: gray (or green) and alpha, high bytes when 16-bit.
    step = 2 if depth == 16 else 1
    want = {0: [0], 3: [0], 2: [1], 4: [0, 1], 6: [1, 3]}[ctype]
    lanes = [c * step for c in want] if depth >= 8 else [0]
    rows = _unfilter(zlib.decompress(b"".join(idat)), h, stride, bpp, lanes)
    if depth < 8:                        # 1, 2, 4 bits: gray or palette
        rows = [[_unpack_bits(r[0], depth, w, ctype == 0)] for r in rows]
    if ctype == 3:                       # palette -> the green of each entry
        lut = bytearray(256)
        for i in range(len(palette) // 3):
            lut[i] = palette[3 * i + 1]
        return w, h, [r[0].translate(bytes(lut)) for r in rows]
    if ctype in (4, 6):                  # alpha over white
        out = []
        for gray, alpha in rows:
            if alpha.count(255) != len(alpha):
                gray = bytes(255 - (a * (255 - v) + 127) // 255
                             for v, a in zip(gray, alpha))
            out.append(gray)
        return w, h, out
    return w, h, [r[0] for r in rows]


def _read_pgm(data):
    fields, pos = [], 2
    while len(fields) < 3:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\d+)").match(data, pos)
        fields.append(int(m.group(2)))
        pos = m.end()
    w, h, maxval = fields
    pos += 1
    if maxval > 255:
        raise ValueError("16-bit PGM not supported")
    return w, h, [data[pos + y * w:pos + (y + 1) * w] for y in range(h)]

# ----------------------------------------------------------------- metric


_INK_TABLE = bytes(1 if v < INK else 0 for v in range(256))


def find_lines(rows, em, x0, x1):
    """Text lines as (top, bottom) row ranges, half-open, of ink in
    columns [x0, x1)."""
    runs, start = [], None
    for y, r in enumerate(rows):
        inked = min(r[x0:x1]) < INK
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            runs.append([start, y])
            start = None
    if start is not None:
        runs.append([start, len(rows)])
    merged = []
    for run in runs:
        if merged and run[0] - merged[-1][1] <= MERGE_EM * em:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    return [(a, b) for a, b in merged if b - a >= MIN_LINE_EM * em]


def measure_rows(w, rows, em, left, right):
    """Figures of one page given as gray rows; see the header."""
    x0 = max(0, int(left - CLIP_EM * em))
    x1 = min(w, int(right + CLIP_EM * em) + 1)
    lines = []
    for top, bottom in find_lines(rows, em, x0, x1):
        acc = 0
        for r in rows[top:bottom]:
            acc |= int.from_bytes(r[x0:x1].translate(_INK_TABLE), "big")
        cols = acc.to_bytes(x1 - x0, "big")
        first, last = cols.find(1), cols.rfind(1)
        gaps = [m.end() - m.start()
                for m in re.finditer(rb"\x00+", cols[first:last + 1])]
        gaps = [g for g in gaps if g > GAP_EM * em]
        widest = max(gaps, default=0) / em
        justified = x0 + last >= right - EDGE_EM * em
        lines.append({"top": top, "bottom": bottom, "first": x0 + first,
                      "last": x0 + last, "gaps": len(gaps),
                      "widest_em": round(widest, 3), "justified": justified,
                      "loose": justified and widest > LOOSE_EM})
    return summarize(lines)


def summarize(lines):
    """A page's figures from its lines' (line_list keeps them)."""
    just = [l for l in lines if l["justified"]]
    return {"lines": len(lines), "justified": len(just),
            "loose": sum(l["loose"] for l in lines),
            "widest_em": max((l["widest_em"] for l in just), default=0.0),
            "line_list": lines}


def measure_file(path, em, left, right):
    w, _, rows = read_png(path)
    fig = measure_rows(w, rows, em, left, right)
    fig["file"] = path
    return fig


def total(figs):
    """Sum of per-page figures (pages, lines, justified, loose, widest)."""
    t = {"pages": len(figs), "lines": 0, "justified": 0, "loose": 0,
         "widest_em": 0.0}
    for f in figs:
        for k in ("lines", "justified", "loose"):
            t[k] += f[k]
        t["widest_em"] = max(t["widest_em"], f["widest_em"])
    t["loose_share"] = t["loose"] / t["justified"] if t["justified"] else 0.0
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--em", type=float, required=True,
                    help="body size in pixels (pt * dpi / 72)")
    ap.add_argument("--left", type=float, required=True,
                    help="x of the text box's left edge, pixels")
    ap.add_argument("--right", type=float, required=True,
                    help="x of the text box's right edge, pixels")
    ap.add_argument("--json", action="store_true",
                    help="print every line's figures as JSON")
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    figs = [measure_file(p, a.em, a.left, a.right) for p in a.pages]
    if a.json:
        json.dump({"pages": figs, "total": total(figs)}, sys.stdout,
                  indent=1)
        print()
        return
    print("%-32s %6s %9s %6s %8s" % ("page", "lines", "justified", "loose",
                                     "widest"))
    for f in figs:
        print("%-32s %6d %9d %6d %7.2fem" % (f["file"][-32:], f["lines"],
                                             f["justified"], f["loose"],
                                             f["widest_em"]))
    t = total(figs)
    print("%-32s %6d %9d %6d %7.2fem   loose %.0f%% of justified"
          % ("total (%d pages)" % t["pages"], t["lines"], t["justified"],
             t["loose"], t["widest_em"], 100 * t["loose_share"]))


if __name__ == "__main__":
    main()
