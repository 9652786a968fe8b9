#!/usr/bin/env python3
"""The font-size preview and the reader's tools in the CLI: `jikji
preview` (sheet size, panels, labels' page counts against `jikji render`,
--at, --sample), `jikji hit`, `jikji locate` and `render --highlight`.
Usage: test_preview.py JIKJI ARTICLE (JIKJI_FONT_DIR set by meson)."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

JIKJI, ARTICLE = sys.argv[1], sys.argv[2]
SOURCE = open(ARTICLE, "rb").read()
SCALES = [0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2]
FRAME = 136
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    return subprocess.run([JIKJI, *args], capture_output=True, timeout=300)


def gray_png(path):
    """An 8-bit gray PNG's (width, height, rows of bytes)."""
    data = open(path, "rb").read()
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h, depth, ctype = struct.unpack(">IIBB", ihdr[:10])
    assert depth == 8 and ctype == 0, "8-bit gray"
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(w)
    for y in range(h):
        f = raw[y * (w + 1)]
        line = bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def frames(rows, least):
    """Panels framed on the sheet: runs of the frame's gray at least
    `least` long, a top and a bottom edge each; their (x, length)."""
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x] != FRAME:
                x += 1
                continue
            e = x
            while e < len(row) and row[e] == FRAME:
                e += 1
            if e - x >= least:
                runs.append((y, x, e - x))
            x = e
    return runs


def rows_of(stdout):
    out = [l.split() for l in stdout.decode().splitlines()
           if l and not l.startswith("#")]
    return out


tmp = tempfile.mkdtemp(prefix="jikji-preview-")

# ---- the sheet: size and panels for given options
sheet = os.path.join(tmp, "sheet.png")
r = run("preview", ARTICLE, "--scales", "1,1.5,2", "--columns", "2",
        "--sheet-width", "800", "-o", sheet)
check(r.returncode == 0, f"preview exit {r.returncode} {r.stderr[:200]}")
w, h, rows = gray_png(sheet)
check(w == 800, f"sheet width {w}")
edges = frames(rows, 300)
check(len(edges) == 2 * 3, f"3 panels framed: {len(edges)} edges")
check(len({x for _, x, _ in edges}) == 2, "2 columns")
check(len(rows_of(r.stdout)) == 3, "3 rows printed")
# the default sheet of a Kobo Clara: 8 panels at half size, 4 a row
r = run("preview", ARTICLE, "-o", sheet)
check(r.returncode == 0, "default preview")
w, h, rows = gray_png(sheet)
edges = frames(rows, 500)
check(len(edges) == 16, f"8 panels: {len(edges)} edges")
check({n for _, _, n in edges} == {536 + 2}, "panels at half size")
check(len({x for _, x, _ in edges}) == 4, "4 a row")
check(w == 4 * 536 + 5 * 24, f"sheet width {w}")

# ---- the labels' page counts are what `jikji render` makes
table = rows_of(r.stdout)
check([float(t[0]) for t in table] == SCALES, "default scales")
for t in table:
    scale, pt, pages, page = t
    check(float(pt) == 10 * float(scale), f"pt of {t}")
    out = os.path.join(tmp, "p-" + scale + "-%03d.png")
    rr = run("render", ARTICLE, "--scale", scale, "-o", out)
    check(rr.stdout.decode().strip() == f"{pages} pages",
          f"scale {scale}: label {pages}, render {rr.stdout!r}")
    check(page == "1", "at 0: the first page")
for f in os.listdir(tmp):
    if f.startswith("p-"):
        os.remove(os.path.join(tmp, f))

# ---- --at: each panel holds that offset
at = SOURCE.index("생성형 인공지능".encode())
r = run("preview", ARTICLE, "--at", str(at), "--font-sizes", "8,10,13",
        "--sheet-width", "600", "-o", sheet)
check(r.returncode == 0, "preview --at")
table = rows_of(r.stdout)
check(len(table) == 3, "three font sizes")
for t, pt in zip(table, ("8", "10", "13")):
    check(t[1] == pt and t[0] == "1", f"font size row {t}")
    loc = json.loads(run("locate", ARTICLE, "--offset", str(at),
                         "--font-size", pt, "--json").stdout)
    check(int(t[3]) == loc["page"], f"{pt} pt: panel page {t[3]}, "
          f"locate {loc['page']}")
    check(int(t[2]) == loc["pages"], "page count")
    check(loc["start"] <= at < loc["end"] or loc["start"] == at,
          "locate's line holds the offset")

# ---- --sample: strips at the device's width, with or without an article
r = run("preview", ARTICLE, "--sample", "-o", sheet)
check(r.returncode == 0, f"--sample {r.stderr[:200]}")
w, h, rows = gray_png(sheet)
edges = frames(rows, 800)
check(len(edges) == 16 and {n for _, _, n in edges} == {1072 + 2},
      f"8 strips at full width: {sorted({n for _, _, n in edges})}")
tops = sorted(y for y, _, _ in edges)[::2]
check(all(b > a for a, b in zip(tops, tops[1:])), "stacked")
table = rows_of(r.stdout)
check(all(t[3] == "-" and t[2].isdigit() for t in table), "sample rows")
r = run("preview", "--sample", "가나다 한 줄", "--scales", "1,2", "-o", sheet)
check(r.returncode == 0, "--sample TEXT without an article")
check(rows_of(r.stdout) == [["1", "10", "-", "-"], ["2", "20", "-", "-"]],
      f"rows {r.stdout!r}")
r = run("preview", "--sample=짧은 글", "--scales", "1", "-o", sheet)
check(r.returncode == 0, "--sample=TEXT")

# ---- hit: the word at a point; a miss off the text
lay = json.loads(run("layout", ARTICLE, "--json").stdout)
line = lay["pages"][1]["lines"][0]
word_end = SOURCE.index(b" ", line["start"])
r = run("hit", ARTICLE, "--page", "2", "--at",
        f"{line['x'] + 3},{line['y'] - 5}")
out = r.stdout.decode().split("\n")
check(r.returncode == 0 and out[0] == f"offset {line['start']}",
      f"hit offset {out}")
check(out[1] == f"word {line['start']} {word_end} "
      + SOURCE[line["start"]:word_end].decode(), f"hit word {out}")
r = run("hit", ARTICLE, "--page", "2", "--json", "--at",
        f"{line['x'] + 3},{line['y'] - 5}")
j = json.loads(r.stdout)
check(j["word"]["start"] == line["start"] and j["word"]["end"] == word_end
      and j["word"]["text"] == SOURCE[line["start"]:word_end].decode(),
      f"hit --json {j}")
for point in ("-1e9,1e9", "5,5", "536,1440"):
    r = run("hit", ARTICLE, "--page", "2", "--at", point)
    check(r.returncode == 1 and r.stdout == b"miss\n",
          f"miss at {point}: {r.returncode} {r.stdout!r}")
r = run("hit", ARTICLE, "--page", "2", "--json", "--at", "5,5")
check(json.loads(r.stdout)["offset"] is None, "json miss")

# ---- locate: the page and line of a line's first byte
for p in (0, 3, len(lay["pages"]) - 1):
    for i in (0, 2):
        l = lay["pages"][p]["lines"][i]
        r = run("locate", ARTICLE, "--offset", str(l["start"]))
        check(r.stdout.decode().strip() == f"page {p + 1} line {i + 1}",
              f"locate {l['start']}: {r.stdout!r}")

# ---- render --highlight: only the range's line boxes change
plain = os.path.join(tmp, "plain-%03d.png")
lit = os.path.join(tmp, "lit-%03d.png")
l0, l2 = lay["pages"][1]["lines"][0], lay["pages"][1]["lines"][2]
start, end = l0["start"] + 6, l2["end"] - 3
check(run("render", ARTICLE, "-o", plain).returncode == 0, "render plain")
check(run("render", ARTICLE, "--highlight", f"{start},{end}",
          "-o", lit).returncode == 0, "render --highlight")
_, _, a = gray_png(plain % 2)
_, _, b = gray_png(lit % 2)
changed, outside = 0, 0
boxes = [(l["y"] - l["height"], l["y"] + l["height"], l["x"],
          l["x"] + l["width"]) for l in lay["pages"][1]["lines"][:3]]
for y, (ra, rb) in enumerate(zip(a, b)):
    for x in range(len(ra)):
        if ra[x] != rb[x]:
            changed += 1
            if not any(y0 <= y <= y1 and x0 - 1 <= x <= x1 + 1
                       for y0, y1, x0, x1 in boxes):
                outside += 1
check(changed > 50000 and outside == 0,
      f"highlight: {changed} pixels changed, {outside} outside the lines")
_, _, c = gray_png(plain % 1)
_, _, d = gray_png(lit % 1)
check(c == d, "the other pages untouched")

# ---- render --page N: that page alone, to a plain name or a pattern
one = os.path.join(tmp, "only-page.png")
check(run("render", ARTICLE, "--page", "2", "-o", one).returncode == 0,
      "render --page 2 -o a plain name")
check(gray_png(one)[2] == gray_png(plain % 2)[2], "the plain name: page 2")
check(not os.path.exists(plain.replace("plain", "only") % 1),
      "no other page written")
check(run("render", ARTICLE, "-o", one).returncode != 0,
      "every page to one plain name: refused")

# ---- every core: the same files whatever -j (render and preview)
for j in ("1", "4"):
    check(run("render", ARTICLE, "--header", "--footer", "-j", j, "-o",
              os.path.join(tmp, "j" + j + "-%03d.png")).returncode == 0,
          f"render -j {j}")
    check(run("preview", ARTICLE, "--scales", "1,1.5,2", "-j", j, "-o",
              os.path.join(tmp, "sheet-j" + j + ".png")).returncode == 0,
          f"preview -j {j}")
pages_1 = sorted(f for f in os.listdir(tmp) if f.startswith("j1-"))
check(len(pages_1) > 5, "pages rendered")
for f in pages_1:
    a = open(os.path.join(tmp, f), "rb").read()
    b = open(os.path.join(tmp, "j4-" + f[3:]), "rb").read()
    check(a == b, f"{f}: -j 1 and -j 4 differ")
check(open(os.path.join(tmp, "sheet-j1.png"), "rb").read() ==
      open(os.path.join(tmp, "sheet-j4.png"), "rb").read(),
      "preview sheets differ between -j 1 and -j 4")

# ---- usage errors
for args in (["preview", ARTICLE, "--scales", ""],
             ["preview", ARTICLE, "--scales", "1,0"],
             ["preview", ARTICLE, "--scales", "a"],
             ["preview", ARTICLE, "--at", "x"],
             ["preview", ARTICLE, "--columns", "0"],
             ["preview"],
             ["render", ARTICLE, "--at", "5"],
             ["hit", ARTICLE],
             ["hit", ARTICLE, "--at", "5"],
             ["hit", ARTICLE, "--at", "5,5", "--page", "99"],
             ["locate", ARTICLE],
             ["layout", ARTICLE, "--json", "--highlight", "1,2"],
             ["render", ARTICLE, "--highlight", "5,3"],
             ["render", ARTICLE, "-j", "0"]):
    r = run(*args)
    check(r.returncode == 2 and r.stderr.startswith(b"jikji: "),
          f"usage error {args}: exit {r.returncode} {r.stderr[:80]}")

for f in os.listdir(tmp):
    os.remove(os.path.join(tmp, f))
os.rmdir(tmp)
print(f"preview cli: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
