/* fuzz-layout.c - the whole pipeline on arbitrary bytes: read, shape, lay
 * out, check, draw, PNG.
 *
 * The first HEADER_BYTES bytes choose the settings (a small page, dpi, font
 * size, word-break mode, breaker, alignment, widows/orphans, header and
 * footer, hanging punctuation, indent, hyphenation, pixel format, rotation,
 * gray levels, dither, ...); the rest is the article.
 *
 * Built with libFuzzer (-DJK_FUZZER, meson -Dfuzzing=true with clang) this
 * is LLVMFuzzerTestOneInput only. Otherwise a main replays files:
 *     fuzz-layout FILE_OR_DIR...
 * every regular file given, or found in a folder given, is one input;
 * prints "fuzz-layout: N inputs" and exits 0, or aborts at the first
 * failed check (so sanitizers and meson report it).
 *
 * Fonts: $JIKJI_FONT_DIR, else the source tree's fonts/ (JK_FUZZ_FONT_DIR,
 * set by meson). Hyphenation patterns are loaded when this build has them.
 */
#define _POSIX_C_SOURCE 200809L /* the replay main: opendir, stat */

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jikji.h"

#define HEADER_BYTES 12
#define MAX_SIDE 400

#define FUZZ_NAME "fuzz-layout"
#include "fuzz-common.h"

/* ------------------------------------------------------------ checks */

/* One code point of the source as the reader decodes it: each maximal
 * ill-formed subpart is one U+FFFD. Returns the bytes taken. */
static size_t decode_one(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = c & (0xFFu >> (len + 1));
    for (size_t k = 1; k < len; k++) {
        unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (k >= n || s[k] < l || s[k] > h) {
            *cp = 0xFFFD;
            return k;
        }
        v = v << 6 | (s[k] & 0x3Fu);
    }
    *cp = v;
    return len;
}

static size_t put_utf8(uint32_t c, char *out)
{
    if (c < 0x80)
        return out[0] = (char)c, 1;
    if (c < 0x800)
        return out[0] = (char)(0xC0 | c >> 6),
               out[1] = (char)(0x80 | (c & 0x3F)), 2;
    if (c < 0x10000)
        return out[0] = (char)(0xE0 | c >> 12),
               out[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
               out[2] = (char)(0x80 | (c & 0x3F)), 3;
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The documents' blocks hold the whole input (white space aside): decoded
 * (BOM dropped, ill-formed bytes and control characters as U+FFFD). */
static void check_document(const jk_document *doc, const char *src,
                           size_t size)
{
    char *want = malloc(3 * size + 4), *got = malloc(3 * size + 4);
    FZ_CHECK(want && got, "out of memory");
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, wl = 0, gl = 0;
    if (size >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < size) {
        uint32_t c;
        i += decode_one(s + i, size - i, &c);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            (c >= 0x7F && c < 0xA0))
            c = 0xFFFD;
        if (!is_space_cp(c) && c != 0x34F)
            wl += put_utf8(c, want + wl);
    }
    size_t blocks = jk_document_block_count(doc);
    for (size_t b = 0; b < blocks; b++) {
        size_t len = jk_document_block_text(doc, b, NULL, 0);
        char *t = malloc(len + 1);
        FZ_CHECK(t, "out of memory");
        jk_document_block_text(doc, b, t, len + 1);
        /* (the block's own stripped text may hold more than the input's:
         * room for it) */
        char *more = realloc(got, gl + len + 4 + 3 * size);
        FZ_CHECK(more, "out of memory");
        got = more;
        gl = append_stripped(got, gl, t, len);
        free(t);
        jk_block_info bi;
        FZ_CHECK(jk_document_get_block(doc, b, &bi) == JK_OK &&
                     bi.start <= bi.end && bi.end <= size,
                 "block %zu [%zu, %zu) of %zu bytes", b, bi.start, bi.end,
                 size);
    }
    size_t k = 0;
    while (k < wl && k < gl && want[k] == got[k])
        k++;
    FZ_CHECK(wl == gl && k == wl,
             "blocks hold %zu bytes (no spaces) of the input's %zu; they "
             "differ from byte %zu", gl, wl, k);
    free(want);
    free(got);
}

/* Lines in reading order cover every block's text exactly once, with
 * source offsets inside the input and inside their block, never going
 * back. */
static void check_layout(const jk_layout *layout, const jk_document *doc,
                         size_t size)
{
    size_t blocks = jk_document_block_count(doc);
    size_t prev_end = 0, prev_block = 0, lines = 0, too_wide = 0;
    size_t cap = 64;
    char *line_buf = malloc(cap);
    /* Per block: the stripped text of its lines, and of the block. */
    char **got = calloc(blocks ? blocks : 1, sizeof *got);
    size_t *got_len = calloc(blocks ? blocks : 1, sizeof *got_len);
    size_t *got_cap = calloc(blocks ? blocks : 1, sizeof *got_cap);
    FZ_CHECK(line_buf && got && got_len && got_cap, "out of memory");

    jk_settings st;
    jk_layout_get_settings(layout, &st);
    size_t pages = jk_layout_page_count(layout);
    FZ_CHECK(blocks == 0 || pages > 0, "%zu blocks on no page", blocks);
    /* The text box (paginate.c's running bands: 3 lines of 0.75 body). */
    double body_px = st.font_size_pt * st.scale * st.dpi / 72.0;
    double box = st.page_height - st.margin_top - st.margin_bottom -
                 (st.header + st.footer) * body_px * 0.75 * 3;
    for (size_t p = 0; p < pages; p++) {
        size_t n = jk_layout_line_count(layout, p);
        double prev_y = 0, first_y = 0;
        FZ_CHECK(n > 0 || blocks == 0, "page %zu of %zu has no line", p,
                 pages);
        for (size_t i = 0; i < n; i++, lines++) {
            jk_line_info li;
            FZ_CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK,
                     "page %zu line %zu", p, i);
            FZ_CHECK(li.start <= li.end && li.end <= size,
                     "line [%zu, %zu) in %zu bytes", li.start, li.end, size);
            FZ_CHECK(li.start >= prev_end,
                     "line at %zu starts before the previous end %zu",
                     li.start, prev_end);
            FZ_CHECK(li.block < blocks && li.block >= prev_block,
                     "block %zu after %zu of %zu", li.block, prev_block,
                     blocks);
            jk_block_info bi;
            FZ_CHECK(jk_document_get_block(doc, li.block, &bi) == JK_OK,
                     "block %zu", li.block);
            FZ_CHECK(li.kind == bi.kind, "kind");
            FZ_CHECK(bi.start <= li.start && li.end <= bi.end,
                     "line [%zu, %zu) outside its block [%zu, %zu)",
                     li.start, li.end, bi.start, bi.end);
            FZ_CHECK(isfinite(li.x) && isfinite(li.y) &&
                         isfinite(li.width) && isfinite(li.ratio) &&
                         isfinite(li.height) && li.height > 0,
                     "line geometry x %g y %g w %g h %g r %g", li.x, li.y,
                     li.width, li.height, li.ratio);
            /* (a line taller than the page may stand below it) */
            FZ_CHECK(li.x >= 0 && li.x <= st.page_width && li.y >= 0 &&
                         li.y <= st.page_height + 2 * li.height,
                     "line %zu of page %zu at (%g, %g) h %g on a %dx%d page", i, p, li.x, li.y, li.height,
                     st.page_width, st.page_height);
            FZ_CHECK(i == 0 || li.y > prev_y,
                     "page %zu line %zu at y %g, the one above at %g", p, i,
                     li.y, prev_y);
            if (i == 0)
                first_y = li.y;
            else
                FZ_CHECK(li.y - first_y <= box + 2 * li.height,
                         "page %zu: line %zu at y %g, %g below the first, "
                         "in a %g px text box", p, i, li.y, li.y - first_y,
                         box);
            /* Past the right margin only overfull lines (one grapheme
             * wider than the measure), or punctuation hanging into it. */
            double slack = st.hang_punctuation ? 1.6 * body_px : 0;
            if (li.x + li.width >
                st.page_width - st.margin_right + slack + 0.01)
                too_wide++;
            prev_y = li.y;
            prev_end = li.end;
            prev_block = li.block;

            size_t len = jk_layout_line_text(layout, p, i, NULL, 0);
            if (len + 1 > cap) {
                cap = 2 * (len + 1);
                line_buf = realloc(line_buf, cap);
                FZ_CHECK(line_buf, "out of memory");
            }
            FZ_CHECK(jk_layout_line_text(layout, p, i, line_buf, cap) == len,
                     "line text length");
            FZ_CHECK(strlen(line_buf) == len, "NUL inside a line text");
            size_t b = li.block;
            if (got_len[b] + len + 1 > got_cap[b]) {
                got_cap[b] = 2 * (got_len[b] + len + 1);
                got[b] = realloc(got[b], got_cap[b]);
                FZ_CHECK(got[b], "out of memory");
            }
            got_len[b] = append_stripped(got[b], got_len[b], line_buf, len);
        }
        char hf[512];
        size_t hl = jk_layout_page_header(layout, p, hf, sizeof hf);
        FZ_CHECK(hl == 0 || st.header, "a header when off");
        size_t fl = jk_layout_page_footer(layout, p, hf, sizeof hf);
        FZ_CHECK(fl == 0 || st.footer, "a footer when off");
        FZ_CHECK(!st.footer || fl > 0, "no footer when on");
    }

    /* No text lost or doubled: per block, the lines' text is the block's
     * text (white space aside). */
    for (size_t b = 0; b < blocks; b++) {
        size_t len = jk_document_block_text(doc, b, NULL, 0);
        char *t = malloc(len + 1), *e = malloc(len + 1);
        FZ_CHECK(t && e, "out of memory");
        jk_document_block_text(doc, b, t, len + 1);
        size_t el = append_stripped(e, 0, t, len);
        FZ_CHECK(el == got_len[b] && memcmp(e, got[b] ? got[b] : "", el) == 0,
                 "block %zu: lines hold %zu bytes (no spaces) of %zu",
                 b, got_len[b], el);
        free(t);
        free(e);
        free(got[b]);
    }
    jk_layout_stats stats;
    FZ_CHECK(jk_layout_get_stats(layout, &stats) == JK_OK, "stats");
    FZ_CHECK(stats.lines == lines, "stats count %zu lines of %zu",
             stats.lines, lines);
    FZ_CHECK(too_wide <= stats.overfull,
             "%zu lines past the right margin, %zu overfull", too_wide,
             stats.overfull);
    free(got);
    free(got_len);
    free(got_cap);
    free(line_buf);
}

/* Anchors: every line's start locates that line (or an earlier one
 * starting at the same byte); a tap anywhere on a page, even at NaN or
 * infinity, hits a byte inside one of its lines. */
static void check_anchors(const jk_layout *layout, size_t size,
                          const uint8_t *h)
{
    size_t pages = jk_layout_page_count(layout);
    for (size_t p = 0; p < pages; p++) {
        size_t n = jk_layout_line_count(layout, p);
        for (size_t i = 0; i < n; i++) {
            jk_line_info li, at;
            FZ_CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK, "line");
            size_t lp = SIZE_MAX, ll = SIZE_MAX;
            FZ_CHECK(jk_layout_locate(layout, li.start, &lp, &ll) == JK_OK,
                     "locate %zu", li.start);
            FZ_CHECK(jk_layout_get_line(layout, lp, ll, &at) == JK_OK &&
                         at.start == li.start && (lp < p || (lp == p &&
                                                             ll <= i)),
                     "locate %zu: page %zu line %zu, not page %zu line %zu",
                     li.start, lp, ll, p, i);
        }
        if (n == 0)
            continue;
        static const double taps[] = {0, 10, 1e9, -1e9, NAN, INFINITY,
                                      -INFINITY, 0.5};
        jk_settings st;
        jk_layout_get_settings(layout, &st);
        double x = taps[h[11] & 7], y = taps[(h[11] >> 3) & 7];
        const double probes[][2] = {{x, y},
                                    {st.page_width / 2.0, st.page_height / 3.0},
                                    {st.page_width * 0.9, st.page_height * 0.9}};
        for (size_t k = 0; k < 3; k++) {
            size_t off = SIZE_MAX;
            jk_status s = jk_layout_hit_test(layout, p, probes[k][0],
                                             probes[k][1], &off);
            FZ_CHECK(s == JK_OK || s == JK_ERR_NOT_FOUND,
                     "hit test (%g, %g) on page %zu: %d", probes[k][0],
                     probes[k][1], p, (int)s);
            FZ_CHECK(s == JK_OK ? off <= size : off == SIZE_MAX,
                     "hit test (%g, %g): byte %zu of %zu", probes[k][0],
                     probes[k][1], off, size);
        }
    }
    size_t lp, ll;
    if (pages && jk_layout_line_count(layout, 0))
        FZ_CHECK(jk_layout_locate(layout, SIZE_MAX, &lp, &ll) == JK_OK &&
                     lp < pages && ll < jk_layout_line_count(layout, lp),
                 "locate past the end");
}

/* Every line of a layout, in order (caller frees). */
static jk_line_info *snapshot(const jk_layout *layout, size_t *count)
{
    size_t n = 0, pages = jk_layout_page_count(layout);
    for (size_t p = 0; p < pages; p++)
        n += jk_layout_line_count(layout, p);
    jk_line_info *all = calloc(n ? n : 1, sizeof *all);
    FZ_CHECK(all, "out of memory");
    size_t k = 0;
    for (size_t p = 0; p < pages; p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++)
            FZ_CHECK(jk_layout_get_line(layout, p, i, &all[k++]) == JK_OK,
                     "line");
    *count = n;
    return all;
}

/* ------------------------------------------------------------ drawing */

static int discard(void *user, const void *data, size_t size)
{
    size_t *total = user;
    if (*total == 0 && size >= 8)
        FZ_CHECK(memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0, "PNG signature");
    *total += size;
    return 0;
}

static void draw(jk_layout *layout, size_t page, const jk_settings *st,
                 const uint8_t *h)
{
    static const jk_pixel_format formats[] = {
        JK_PIXEL_GRAY8, JK_PIXEL_GRAY4, JK_PIXEL_MONO1,
        JK_PIXEL_RGB565, JK_PIXEL_XRGB8888, JK_PIXEL_BGRA8888};
    static const int levels[] = {256, 16, 4, 2};
    jk_surface sf;
    sf.format = formats[h[7] % 6];
    sf.rotation = ((h[7] >> 3) & 3) * 90;
    int pw = st->page_width, ph = st->page_height;
    /* Now and then a surface a little larger or smaller than the page. */
    int delta = (h[10] & 3) == 3 ? (int)(h[10] >> 2) % 17 - 8 : 0;
    pw += delta;
    ph -= delta;
    if (pw < 1)
        pw = 1;
    if (ph < 1)
        ph = 1;
    sf.width = sf.rotation % 180 ? ph : pw;
    sf.height = sf.rotation % 180 ? pw : ph;
    size_t row = jk_surface_row_bytes(sf.format, sf.width);
    FZ_CHECK(row > 0, "row bytes");
    sf.stride = (int)row + (h[10] & 4 ? 3 : 0);
    size_t bytes = (size_t)sf.stride * (size_t)sf.height;
    sf.pixels = malloc(bytes);
    FZ_CHECK(sf.pixels, "out of memory");
    memset(sf.pixels, h[10] & 8 ? 0x00 : 0xFF, bytes);
    /* Padding bytes and the unused bits of a last partial byte hold a
     * pattern the library must leave alone. */
    uint8_t pad_mask = 0;
    if (sf.format == JK_PIXEL_GRAY4 && sf.width % 2)
        pad_mask = 0x0F;
    else if (sf.format == JK_PIXEL_MONO1 && sf.width % 8)
        pad_mask = (uint8_t)(0xFFu >> (sf.width % 8));
    for (int y = 0; y < sf.height; y++) {
        uint8_t *r = sf.pixels + (size_t)y * (size_t)sf.stride;
        memset(r + row, 0x5A, (size_t)sf.stride - row);
        r[row - 1] = (uint8_t)((r[row - 1] & ~pad_mask) | (0x5A & pad_mask));
    }
    uint8_t *orig = malloc(bytes);
    FZ_CHECK(orig, "out of memory");
    memcpy(orig, sf.pixels, bytes);

    jk_render_options ro;
    jk_render_options_init(&ro);
    ro.gray_levels = levels[h[8] & 3];
    ro.hinting = (jk_hinting)((h[8] >> 2) % 3);
    ro.darken = ((h[8] >> 4) & 3) / 3.0;
    ro.gamma = (h[8] & 0x40) ? 1.8 : 0;
    ro.invert = (h[7] >> 5) & 1;
    ro.dither = (jk_dither)((h[7] >> 6) % 3);
    if (h[10] & 16) { /* a clip, now and then an extreme one */
        const jk_rect clips[8] = {
            {sf.width / 4, sf.height / 3, sf.width / 2, sf.height / 2},
            {-7, -3, sf.width / 3, sf.height + 20},
            {sf.width - 1, sf.height - 1, 5, 5},
            {sf.width + 3, 0, 10, 10},
            {INT_MAX - 10, 0, 100, 100},
            {-5, -5, INT_MAX, INT_MAX},
            {INT_MIN, INT_MIN, INT_MAX, INT_MAX},
            {INT_MIN + 1, 2, INT_MAX, 3},
        };
        ro.clip_enabled = 1;
        ro.clip = clips[h[11] & 7];
    }

    /* Now and then a glyph cache too small for the page (evictions). */
    static const size_t budgets[4] = {JK_GLYPH_CACHE_DEFAULT_BUDGET, 0, 3000,
                                      40000};
    size_t budget = budgets[(h[9] >> 5) & (h[6] & 1 ? 3 : 0)];
    FZ_CHECK(jk_context_set_glyph_cache_budget(fz_context(), budget) == JK_OK,
             "budget");
    if ((h[9] & 0xE0) == 0xE0)
        jk_context_clear_glyph_cache(fz_context());

    jk_rect dirty;
    jk_status s = jk_layout_render_page_ex(layout, page, &sf, &ro, &dirty);
    jk_glyph_cache_stats cs;
    FZ_CHECK(jk_context_get_glyph_cache_stats(fz_context(), &cs) == JK_OK &&
                 cs.budget == budget && cs.bytes <= budget &&
                 (cs.entries == 0) == (cs.bytes == 0),
             "glyph cache: %zu bytes in %zu entries, budget %zu", cs.bytes,
             cs.entries, cs.budget);
    FZ_CHECK(s == JK_OK, "render page %zu: %s", page,
             jk_context_errmsg(fz_context()));
    /* The dirty rectangle is exactly the box of the changed pixels, they
     * lie inside the clip, and nothing past the pixels was written. */
    int bx0 = INT_MAX, by0 = INT_MAX, bx1 = INT_MIN, by1 = INT_MIN;
    jk_surface before = sf;
    before.pixels = orig;
    for (int y = 0; y < sf.height; y++) {
        const uint8_t *r = sf.pixels + (size_t)y * (size_t)sf.stride;
        const uint8_t *o = orig + (size_t)y * (size_t)sf.stride;
        FZ_CHECK(memcmp(r + row, o + row, (size_t)sf.stride - row) == 0 &&
                     ((r[row - 1] ^ o[row - 1]) & pad_mask) == 0,
                 "row %d: padding written (format %d, width %d)", y,
                 (int)sf.format, sf.width);
        if (memcmp(r, o, row) == 0)
            continue;
        size_t bpp = sf.format == JK_PIXEL_GRAY8    ? 1
                     : sf.format == JK_PIXEL_RGB565 ? 2
                     : sf.format == JK_PIXEL_GRAY4 ||
                             sf.format == JK_PIXEL_MONO1
                         ? 0 /* compare the nibble or bit's gray */
                         : 4;
        for (int x = 0; x < sf.width; x++) {
            if (bpp ? memcmp(r + bpp * (size_t)x, o + bpp * (size_t)x,
                             bpp) == 0
                    : jk_surface_get_gray(&sf, x, y) ==
                          jk_surface_get_gray(&before, x, y))
                continue;
            bx0 = x < bx0 ? x : bx0;
            by0 = y < by0 ? y : by0;
            bx1 = x + 1 > bx1 ? x + 1 : bx1;
            by1 = y + 1;
        }
    }
    if (bx1 < 0) {
        FZ_CHECK(dirty.width <= 0, "dirty %d %d %d %d, nothing changed",
                 dirty.x, dirty.y, dirty.width, dirty.height);
    } else {
        FZ_CHECK(dirty.x == bx0 && dirty.y == by0 &&
                     dirty.width == bx1 - bx0 && dirty.height == by1 - by0,
                 "dirty %d %d %d %d, changed %d %d %d %d on %dx%d",
                 dirty.x, dirty.y, dirty.width, dirty.height, bx0, by0,
                 bx1 - bx0, by1 - by0, sf.width, sf.height);
        if (ro.clip_enabled) {
            long long cx1 = (long long)ro.clip.x + ro.clip.width;
            long long cy1 = (long long)ro.clip.y + ro.clip.height;
            FZ_CHECK(bx0 >= ro.clip.x && by0 >= ro.clip.y && bx1 <= cx1 &&
                         by1 <= cy1,
                     "changed %d %d %d %d outside the clip %d %d %d %d",
                     bx0, by0, bx1 - bx0, by1 - by0, ro.clip.x, ro.clip.y,
                     ro.clip.width, ro.clip.height);
        }
    }
    free(orig);
    /* Drawing is deterministic: the same page again changes nothing
     * (clip off: Floyd-Steinberg's error runs across the clip edge). */
    if (!ro.clip_enabled && (h[10] & 32)) {
        s = jk_layout_render_page_ex(layout, page, &sf, &ro, &dirty);
        FZ_CHECK(s == JK_OK, "render again");
        FZ_CHECK(dirty.width <= 0, "a second render changed %d %d %d %d",
                 dirty.x, dirty.y, dirty.width, dirty.height);
    }
    FZ_CHECK(jk_surface_get_gray(&sf, sf.width - 1, sf.height - 1) >= 0,
             "get_gray");

    if (h[10] & 64) {
        jk_png_options po;
        jk_png_options_init(&po);
        static const int depths[] = {8, 4, 2, 1};
        po.bit_depth = depths[h[8] & 3];
        po.dpi = st->dpi;
        po.compression = (h[9] >> 6) == 3 ? -1 : (h[9] >> 6);
        char title[64];
        jk_layout_page_header(layout, 0, title, sizeof title);
        po.title = title[0] ? title : NULL;
        size_t total = 0;
        s = jk_surface_write_png_ex(fz_context(), &sf, &po, discard, &total);
        FZ_CHECK(s == JK_OK && total > 8, "PNG: %s",
                 jk_context_errmsg(fz_context()));
    }
    free(sf.pixels);
}

/* ------------------------------------------------------------ entry */

static void settings_from(const uint8_t *h, jk_settings *st)
{
    jk_settings_init(st);
    st->page_width = 50 + h[0] * (MAX_SIDE - 50) / 255;
    st->page_height = 50 + h[1] * (MAX_SIDE - 50) / 255;
    st->dpi = 72 + (h[2] & 15) * 20;                  /* 72..372 */
    if (h[2] & 0x80) { /* a wide measure (laid out, not drawn) */
        st->page_width = 400 + h[0] * 128;            /* ..33040 */
        if (st->page_width > 32768)
            st->page_width = 32768;
        st->page_height = 400 + h[1] * 16;
    }
    st->font_size_pt = 2 + (h[3] & 63) * 0.5;         /* 2..33.5 */
    st->scale = (h[3] & 64) ? 1.5 : 1;
    st->word_break = (jk_word_break)(h[4] % 3);
    st->breaker = (h[4] & 4) ? JK_BREAKER_GREEDY : JK_BREAKER_OPTIMAL;
    st->align = (h[4] & 8) ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
    st->hyphenate = (h[4] >> 4) & 1;
    st->hang_punctuation = (h[4] >> 5) & 1;
    st->header = (h[4] >> 6) & 1;
    st->footer = (h[4] >> 7) & 1;
    st->widows = h[5] & 7;
    st->orphans = (h[5] >> 3) & 7;
    st->first_line_indent = (h[6] & 15) / 4.0;        /* 0..3.75 em */
    st->line_height = 0.8 + (h[6] >> 4) * 0.15;       /* 0.8..3.05 */
    int m = h[9] & 31;                                /* margins */
    if (m == 31) {
        st->margin_top = st->margin_right = -1;       /* automatic */
        st->margin_bottom = st->margin_left = -1;
    } else {
        st->margin_top = st->margin_bottom = m;
        st->margin_left = st->margin_right = m / 2;
    }
    if (h[5] & 64) { /* odd breaking parameters now and then */
        st->breaking.tolerance = (h[11] & 15) * 100;
        st->breaking.loose_tolerance = (h[11] >> 4) * 500;
        st->breaking.space_shrink = 0;
        st->breaking.space_stretch = (h[11] & 1) ? 0 : 5;
        st->breaking.syllable_stretch = (h[11] & 2) ? 0 : 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER_BYTES)
        return 0;
    uint8_t h[HEADER_BYTES];
    memcpy(h, data, HEADER_BYTES);
    const char *text = (const char *)data + HEADER_BYTES;
    size_t n = size - HEADER_BYTES;
    jk_context *ctx = fz_context();

    jk_document *doc = NULL;
    jk_status s = jk_document_create_from_text(ctx, text, n, &doc);
    FZ_CHECK(s == JK_OK, "document: %s", jk_context_errmsg(ctx));
    check_document(doc, text, n);

    jk_settings st;
    settings_from(h, &st);
    jk_layout *layout = NULL;
    s = jk_layout_create(doc, &st, &layout);
    if (s == JK_ERR_INVALID_ARGUMENT) { /* margins too wide for the page */
        jk_document_destroy(doc);
        return 0;
    }
    FZ_CHECK(s == JK_OK, "layout: %s", jk_context_errmsg(ctx));
    check_layout(layout, doc, n);
    check_anchors(layout, n, h);

    size_t pages = jk_layout_page_count(layout);
    /* Page counts at these settings and two more sizes, composed
     * together: the first is this layout's. */
    jk_settings bigger = st, smaller = st;
    bigger.scale *= 1.25;
    smaller.font_size_pt *= 0.8;
    const jk_settings *steps[] = {&st, &bigger, &smaller};
    size_t counts[3] = {0, 0, 0};
    s = jk_document_page_counts(doc, steps, 3, counts);
    FZ_CHECK(s == JK_OK || s == JK_ERR_INVALID_ARGUMENT, "page counts: %s",
             jk_context_errmsg(ctx));
    /* (a bigger size may leave no room for a header: counted up to it) */
    FZ_CHECK(counts[0] == pages ||
                 strncmp(jk_context_errmsg(ctx), "settings 0", 10) == 0,
             "%zu pages counted, %zu laid out", counts[0], pages);
    if (pages > 0 && !(h[2] & 0x80)) {
        draw(layout, 0, &st, h);
        if (pages > 1 && (h[5] & 128))
            draw(layout, pages - 1, &st, h);
    }

    /* Re-lay out at other settings (no re-shaping) and check again; then
     * back at the first settings, the same lines as the first time. */
    if (h[11] & 128) {
        jk_settings first = st;
        size_t count = 0;
        jk_line_info *was = snapshot(layout, &count);
        st.breaker = st.breaker == JK_BREAKER_GREEDY ? JK_BREAKER_OPTIMAL
                                                     : JK_BREAKER_GREEDY;
        st.word_break = (jk_word_break)((st.word_break + 1) % 3);
        st.page_width = st.page_width * 3 / 2;
        s = jk_layout_set_settings(layout, &st);
        if (s == JK_OK)
            check_layout(layout, doc, n);
        else
            FZ_CHECK(s == JK_ERR_INVALID_ARGUMENT, "relayout: %s",
                     jk_context_errmsg(ctx));
        s = jk_layout_set_settings(layout, &first);
        FZ_CHECK(s == JK_OK, "relayout back: %s", jk_context_errmsg(ctx));
        size_t again_count = 0;
        jk_line_info *again = snapshot(layout, &again_count);
        FZ_CHECK(again_count == count, "%zu lines, then %zu", count,
                 again_count);
        for (size_t i = 0; i < count; i++)
            FZ_CHECK(memcmp(&was[i], &again[i], sizeof was[i]) == 0,
                     "line %zu differs laid out again", i);
        free(was);
        free(again);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"

int main(int argc, char **argv)
{
    int rc = fuzz_replay("fuzz-layout", argc, argv);
    fz_release();
    return rc;
}
#endif
