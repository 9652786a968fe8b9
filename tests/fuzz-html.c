/* fuzz-html.c - the HTML reader on arbitrary bytes, through the public
 * API: read (JK_FORMAT_HTML), check the document, lay it out on a small
 * page, check every line, draw a page.
 *
 * The first byte chooses the page (size, font size, word-break mode,
 * alignment); the rest is the HTML. Images: "a.png" is a small PNG from
 * memory, a src holding "refused" is refused, every other one missing
 * (data: URIs the library decodes itself).
 *
 * Checks: the read succeeds; blocks lie inside the input, their starts
 * never go back, their texts are well-formed UTF-8 without NUL; spans lie
 * inside their block; figures point at FIGURE blocks with a known status;
 * lines in reading order lie inside their blocks and on the page, and
 * hold every block's text (white space aside); a line's first character
 * was written at the line's start (as itself, a reference, markup or a
 * byte the reader replaced); each line's start locates it (or a line
 * starting there too); the page draws.
 *
 * Built with libFuzzer (-DJK_FUZZER, meson -Dfuzzing=true with clang) this
 * is LLVMFuzzerTestOneInput only; otherwise a main replays files or
 * folders (fuzz-replay.h). Fonts: $JIKJI_FONT_DIR, else the source tree's
 * fonts/ (JK_FUZZ_FONT_DIR, set by meson). */
#define _POSIX_C_SOURCE 200809L /* the replay main: opendir, stat */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jikji.h"

#define FUZZ_NAME "fuzz-html"
#include "fuzz-common.h"

static jk_image_status load(void *user, const char *src, const void **data,
                            size_t *size)
{
    (void)user;
    FZ_CHECK(src && src[0], "an empty src given to the loader");
    if (strstr(src, "refused"))
        return JK_IMAGE_REFUSED;
    if (strcmp(src, "a.png") != 0)
        return JK_IMAGE_MISSING;
    *data = tu_tiny_png;
    *size = sizeof tu_tiny_png;
    return JK_IMAGE_OK;
}

/* ------------------------------------------------------------ checks */


static char *block_text(const jk_document *doc, size_t b, size_t *len)
{
    *len = jk_document_block_text(doc, b, NULL, 0);
    char *t = malloc(*len + 1);
    FZ_CHECK(t, "out of memory");
    FZ_CHECK(jk_document_block_text(doc, b, t, *len + 1) == *len, "length");
    return t;
}

static void check_document(const jk_document *doc, size_t size)
{
    size_t blocks = jk_document_block_count(doc), last = 0;
    for (size_t b = 0; b < blocks; b++) {
        jk_block_info bi;
        FZ_CHECK(jk_document_get_block(doc, b, &bi) == JK_OK, "block %zu", b);
        FZ_CHECK(bi.start <= bi.end && bi.end <= size,
                 "block %zu [%zu, %zu) of %zu bytes", b, bi.start, bi.end,
                 size);
        FZ_CHECK(bi.start >= last, "block %zu starts at %zu, before %zu", b,
                 bi.start, last);
        last = bi.start;
        FZ_CHECK((unsigned)bi.kind < JK_BLOCK_KIND_COUNT, "kind %d",
                 (int)bi.kind);
        size_t len;
        char *t = block_text(doc, b, &len);
        FZ_CHECK(strlen(t) == len && fz_well_formed(t, len),
                 "block %zu: text not well-formed UTF-8", b);
        FZ_CHECK(len > 0 || bi.kind == JK_BLOCK_FIGURE,
                 "block %zu (%s) is empty", b, jk_block_kind_name(bi.kind));
        free(t);
        jk_block_attrs a;
        FZ_CHECK(jk_document_get_block_attrs(doc, b, &a) == JK_OK, "attrs");
        FZ_CHECK(a.level >= 0 && a.level <= 6 && a.quote_depth >= 0 &&
                     a.list_depth >= 0,
                 "block %zu: level %d, depths %d %d", b, a.level,
                 a.quote_depth, a.list_depth);
        FZ_CHECK(bi.kind != JK_BLOCK_HEADING || a.level >= 1,
                 "heading %zu of level %d", b, a.level);
        FZ_CHECK(!a.marker || fz_well_formed(a.marker, strlen(a.marker)),
                 "marker");
        FZ_CHECK((a.figure >= 0) == (bi.kind == JK_BLOCK_FIGURE) ||
                     (bi.kind == JK_BLOCK_FIGURE && a.figure < 0),
                 "block %zu: figure %ld", b, a.figure);
        jk_span spans[32];
        size_t n = jk_document_block_spans(doc, b, spans, 32);
        for (size_t k = 0; k < n && k < 32; k++)
            FZ_CHECK(spans[k].start >= bi.start && spans[k].start <=
                                                       spans[k].end &&
                         spans[k].end <= bi.end && spans[k].style &&
                         !(spans[k].style & (spans[k].style - 1)),
                     "block %zu span [%zu, %zu) style %u in [%zu, %zu)", b,
                     spans[k].start, spans[k].end, spans[k].style, bi.start,
                     bi.end);
        const char *href = jk_document_link_at(doc, bi.start);
        FZ_CHECK(!href || fz_well_formed(href, strlen(href)), "href");
    }
    size_t figures = jk_document_figure_count(doc);
    for (size_t f = 0; f < figures; f++) {
        jk_figure_info fi;
        FZ_CHECK(jk_document_get_figure(doc, f, &fi) == JK_OK, "figure %zu",
                 f);
        FZ_CHECK(fi.block < blocks, "figure %zu in block %zu of %zu", f,
                 fi.block, blocks);
        jk_block_info bi;
        jk_document_get_block(doc, fi.block, &bi);
        FZ_CHECK(bi.kind == JK_BLOCK_FIGURE, "figure %zu's block", f);
        FZ_CHECK((unsigned)fi.status <= JK_IMAGE_REFUSED &&
                     (fi.status == JK_IMAGE_OK) ==
                         (fi.width > 0 && fi.height > 0),
                 "figure %zu: status %d, %dx%d", f, (int)fi.status, fi.width,
                 fi.height);
        FZ_CHECK(fi.start <= fi.end && fi.end <= size && fi.src && fi.alt,
                 "figure %zu [%zu, %zu)", f, fi.start, fi.end);
        FZ_CHECK(fz_well_formed(fi.src, strlen(fi.src)) &&
                     fz_well_formed(fi.alt, strlen(fi.alt)),
                 "figure %zu: src or alt not UTF-8", f);
    }
}

/* The first code point of s (well formed), and its length. */
static uint32_t first_cp(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    *len = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (*len == 1)
        return p[0];
    if (*len == 2)
        return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    if (*len == 3)
        return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
           ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

/* A line's first character was written at its start: as itself, as a
 * character reference ('&'), as markup ('<': an alt text, a cell
 * separator, a ruby parenthesis, a rule), or, for U+FFFD, as a byte the
 * reader replaced. */
static int written_at(const char *src, size_t size, size_t at,
                      const char *text)
{
    if (!text[0] || at >= size)
        return 1;
    unsigned char b = (unsigned char)src[at];
    if (b == '&' || b == '<')
        return 1;
    size_t len;
    uint32_t c = first_cp(text, &len);
    if (c == 0xFFFD)
        return b < 0x20 || b >= 0x7F;
    if (c == '\n')
        return b == '\r' || b == '\n';
    if (c == ' ' || c == 0xA0) /* (pre keeps indentation as U+00A0) */
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' ||
               b == '\f' || (b == 0xC2 && at + 1 < size &&
                             (unsigned char)src[at + 1] == 0xA0);
    return at + len <= size && !memcmp(src + at, text, len);
}

/* Whether src[from, to) holds markup, white space and NULs (dropped from
 * text) only: text held at the floor lands after a space the reader wrote
 * at the last tag, past the previous line's end. */
static int only_markup(const char *src, size_t size, size_t from, size_t to)
{
    int in_tag = 0;
    for (size_t i = from; i < to && i < size; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '<')
            in_tag = 1;
        else if (c == '>')
            in_tag = 0;
        else if (!in_tag && c != ' ' && c != '\t' && c != '\n' &&
                 c != '\r' && c != '\f' && c != '\0')
            return 0;
    }
    return 1;
}

static void check_layout(const jk_layout *layout, const jk_document *doc,
                         const char *src, size_t size)
{
    size_t blocks = jk_document_block_count(doc);
    char **got = calloc(blocks ? blocks : 1, sizeof *got);
    size_t *got_len = calloc(blocks ? blocks : 1, sizeof *got_len);
    FZ_CHECK(got && got_len, "out of memory");
    jk_settings st;
    jk_layout_get_settings(layout, &st);
    size_t pages = jk_layout_page_count(layout), prev_end = 0, prev_block = 0;
    FZ_CHECK(blocks == 0 || pages > 0, "%zu blocks on no page", blocks);
    for (size_t p = 0; p < pages; p++) {
        size_t n = jk_layout_line_count(layout, p);
        for (size_t i = 0; i < n; i++) {
            jk_line_info li;
            FZ_CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK, "line");
            FZ_CHECK(li.start <= li.end && li.end <= size && li.start >=
                                                                prev_end,
                     "line [%zu, %zu) after %zu in %zu bytes", li.start,
                     li.end, prev_end, size);
            FZ_CHECK(li.block < blocks && li.block >= prev_block, "block");
            jk_block_info bi;
            jk_document_get_block(doc, li.block, &bi);
            FZ_CHECK(bi.start <= li.start && li.end <= bi.end,
                     "line [%zu, %zu) outside its block [%zu, %zu)",
                     li.start, li.end, bi.start, bi.end);
            /* every line lies within the page */
            FZ_CHECK(isfinite(li.x) && isfinite(li.y) && isfinite(li.width) &&
                         li.height > 0 && li.x >= 0 &&
                         li.x <= st.page_width && li.y >= 0 &&
                         li.y <= st.page_height + 2 * li.height,
                     "page %zu line %zu at (%g, %g) w %g h %g on %dx%d", p,
                     i, li.x, li.y, li.width, li.height, st.page_width,
                     st.page_height);
            size_t prev_line_end = prev_end;
            prev_end = li.end;
            prev_block = li.block;
            /* its start locates it, or a line starting at the same byte
             * (a long alt text, all of it at its img tag, runs over
             * several lines) */
            size_t pl = SIZE_MAX, ll = SIZE_MAX;
            jk_line_info at;
            FZ_CHECK(jk_layout_locate(layout, li.start, &pl, &ll) == JK_OK &&
                         jk_layout_get_line(layout, pl, ll, &at) == JK_OK &&
                         at.start == li.start,
                     "locate %zu: page %zu line %zu, not %zu %zu", li.start,
                     pl, ll, p, i);
            size_t len = jk_layout_line_text(layout, p, i, NULL, 0);
            char *t = malloc(len + 1);
            FZ_CHECK(t, "out of memory");
            jk_layout_line_text(layout, p, i, t, len + 1);
            /* (text the parser moved before what precedes it, out of a
             * table or by the adoption agency, is held at the previous
             * end, or just past the space there, which may be at a tag
             * after it: only lines starting further on are checked) */
            FZ_CHECK(li.start <= prev_line_end + 1 ||
                         written_at(src, size, li.start, t) ||
                         only_markup(src, size, prev_line_end, li.start - 1),
                     "page %zu line %zu [%s] starts at byte %zu (0x%02x)", p,
                     i, t, li.start,
                     li.start < size ? (unsigned char)src[li.start] : 0);
            size_t b = li.block;
            char *more = realloc(got[b], got_len[b] + len + 1);
            FZ_CHECK(more, "out of memory");
            got[b] = more;
            got_len[b] = append_stripped(got[b], got_len[b], t, len);
            free(t);
        }
    }
    /* No text lost or doubled: the lines hold their blocks' text. */
    for (size_t b = 0; b < blocks; b++) {
        size_t len;
        char *t = block_text(doc, b, &len);
        char *e = malloc(len + 1);
        FZ_CHECK(e, "out of memory");
        size_t el = append_stripped(e, 0, t, len);
        jk_block_info bi;
        jk_document_get_block(doc, b, &bi);
        FZ_CHECK((el == got_len[b] &&
                  memcmp(e, got[b] ? got[b] : "", el) == 0) ||
                     (bi.kind == JK_BLOCK_FIGURE && got_len[b] == 0),
                 "block %zu: lines hold %zu bytes (no spaces) of %zu", b,
                 got_len[b], el);
        free(t);
        free(e);
        free(got[b]);
    }
    free(got);
    free(got_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned h = data[0];
    const char *html = (const char *)data + 1;
    size_t n = size - 1;
    jk_context *ctx = fz_context();

    jk_read_options o;
    jk_read_options_init(&o);
    o.format = JK_FORMAT_HTML;
    o.load = load;
    jk_document *doc = NULL;
    jk_status s = jk_document_read(ctx, html, n, &o, &doc);
    FZ_CHECK(s == JK_OK, "read: %s", jk_context_errmsg(ctx));
    check_document(doc, n);

    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 120 + (int)(h & 7) * 40;
    st.page_height = 160 + (int)((h >> 3) & 3) * 60;
    st.dpi = 150;
    st.font_size_pt = (h & 32) ? 7 : 10;
    st.word_break = (jk_word_break)((h >> 6) % 3);
    st.align = (h & 64) ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
    st.margin_top = st.margin_bottom = 8;
    st.margin_left = st.margin_right = 6;
    jk_layout *layout = NULL;
    s = jk_layout_create(doc, &st, &layout);
    FZ_CHECK(s == JK_OK, "layout: %s", jk_context_errmsg(ctx));
    check_layout(layout, doc, html, n);

    size_t pages = jk_layout_page_count(layout);
    if (pages) {
        jk_surface sf;
        sf.width = st.page_width;
        sf.height = st.page_height;
        sf.stride = sf.width;
        sf.format = JK_PIXEL_GRAY8;
        sf.rotation = 0;
        sf.pixels = calloc((size_t)sf.stride * (size_t)sf.height, 1);
        FZ_CHECK(sf.pixels, "out of memory");
        /* the first page, or one with a figure on it now and then */
        size_t page = (h & 128) ? pages - 1 : 0;
        s = jk_layout_render_page(layout, page, &sf);
        FZ_CHECK(s == JK_OK, "render page %zu: %s", page,
                 jk_context_errmsg(ctx));
        free(sf.pixels);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"

int main(int argc, char **argv)
{
    int rc = fuzz_replay("fuzz-html", argc, argv);
    fz_release();
    return rc;
}
#endif
