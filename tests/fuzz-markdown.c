/* fuzz-markdown.c - the Markdown reader and the pipeline after it on
 * arbitrary bytes, through the public API: read (JK_FORMAT_MARKDOWN, with
 * an image loader), check the document's structure, lay out a small page,
 * check the lines, draw one page.
 *
 * The first HEADER_BYTES bytes choose the page, font size, alignment and
 * pixel format; the rest is the article. Images whose src starts with
 * 'm' are missing, the rest load as a small PNG.
 *
 * Built with libFuzzer (-DJK_FUZZER, meson -Dfuzzing=true with clang) this
 * is LLVMFuzzerTestOneInput only. Otherwise a main replays files:
 *     fuzz-markdown FILE_OR_DIR...
 * and aborts at the first failed check.
 *
 * Fonts: $JIKJI_FONT_DIR, else the source tree's fonts/ (JK_FUZZ_FONT_DIR,
 * set by meson). */
#define _POSIX_C_SOURCE 200809L /* the replay main: opendir, stat */

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jikji.h"

#define HEADER_BYTES 4
#define MAX_SIDE 400

#define FUZZ_NAME "fuzz-markdown"
#include "fuzz-common.h"

static jk_image_status loader(void *user, const char *src, const void **data,
                              size_t *size)
{
    (void)user;
    FZ_CHECK(src && src[0], "the loader gets no empty src");
    if (src[0] == 'm')
        return JK_IMAGE_MISSING;
    *data = tu_tiny_png;
    *size = sizeof tu_tiny_png;
    return JK_IMAGE_OK;
}

/* Blocks in source order inside the input; spans inside their block;
 * attributes as the rules say; figures and their blocks agree; every
 * link span has its href. */
static void check_document(const jk_document *doc, size_t size)
{
    size_t blocks = jk_document_block_count(doc), figures = 0, prev = 0;
    for (size_t b = 0; b < blocks; b++) {
        jk_block_info bi;
        FZ_CHECK(jk_document_get_block(doc, b, &bi) == JK_OK, "block %zu", b);
        FZ_CHECK(bi.start <= bi.end && bi.end <= size && bi.start >= prev,
                 "block %zu [%zu, %zu) after %zu in %zu bytes", b, bi.start,
                 bi.end, prev, size);
        prev = bi.start;
        jk_block_attrs a;
        FZ_CHECK(jk_document_get_block_attrs(doc, b, &a) == JK_OK, "attrs");
        FZ_CHECK(a.quote_depth >= 0 && a.quote_depth <= 8 &&
                     a.list_depth >= 0 && a.list_depth <= 8,
                 "depths %d %d", a.quote_depth, a.list_depth);
        if (bi.kind == JK_BLOCK_HEADING)
            FZ_CHECK(a.level >= 1 && a.level <= 6, "level %d", a.level);
        else if (bi.kind == JK_BLOCK_TITLE)
            FZ_CHECK(a.level == 1 && a.quote_depth == 0 && a.list_depth == 0,
                     "title");
        else
            FZ_CHECK(a.level == 0, "level %d on a %s", a.level,
                     jk_block_kind_name(bi.kind));
        FZ_CHECK(!a.marker || (a.list_depth >= 1 && a.marker[0]),
                 "a marker outside a list");
        if (bi.kind == JK_BLOCK_FIGURE) {
            FZ_CHECK(a.figure == (long)figures, "figure %ld, want %zu",
                     a.figure, figures);
            jk_figure_info fi;
            FZ_CHECK(jk_document_get_figure(doc, figures, &fi) == JK_OK &&
                         fi.block == b && fi.start <= fi.end &&
                         fi.end <= size && fi.src && fi.alt &&
                         fz_well_formed(fi.src, strlen(fi.src)) &&
                         fz_well_formed(fi.alt, strlen(fi.alt)),
                     "figure %zu", figures);
            FZ_CHECK(fi.status == JK_IMAGE_OK ||
                         fi.status == JK_IMAGE_MISSING ||
                         fi.status == JK_IMAGE_CORRUPT ||
                         fi.status == JK_IMAGE_REFUSED,
                     "image status %d", (int)fi.status);
            figures++;
        } else {
            FZ_CHECK(a.figure == -1, "figure on a %s",
                     jk_block_kind_name(bi.kind));
        }
        size_t len = jk_document_block_text(doc, b, NULL, 0);
        char *t = malloc(len + 1);
        FZ_CHECK(t, "out of memory");
        FZ_CHECK(jk_document_block_text(doc, b, t, len + 1) == len &&
                     strlen(t) == len && fz_well_formed(t, len),
                 "block %zu text", b);
        if (bi.kind == JK_BLOCK_RULE)
            FZ_CHECK(strcmp(t, "\xE2\x80\x95") == 0, "rule '%s'", t);
        FZ_CHECK(len > 0 || bi.kind == JK_BLOCK_FIGURE, "empty %s block",
                 jk_block_kind_name(bi.kind));
        free(t);
        size_t n = jk_document_block_spans(doc, b, NULL, 0);
        jk_span *sp = calloc(n ? n : 1, sizeof *sp);
        FZ_CHECK(sp, "out of memory");
        FZ_CHECK(jk_document_block_spans(doc, b, sp, n) == n, "spans");
        for (size_t k = 0; k < n; k++) {
            FZ_CHECK(sp[k].start < sp[k].end && sp[k].start >= bi.start &&
                         sp[k].end <= bi.end && sp[k].style &&
                         !(sp[k].style & (sp[k].style - 1)),
                     "block %zu [%zu, %zu) span [%zu, %zu) style %u", b,
                     bi.start, bi.end, sp[k].start, sp[k].end, sp[k].style);
            FZ_CHECK(k == 0 || sp[k].start >= sp[k - 1].start, "span order");
            const char *href = sp[k].style == JK_STYLE_LINK
                                   ? jk_document_link_at(doc, sp[k].start)
                                   : NULL;
            if (sp[k].style == JK_STYLE_LINK)
                FZ_CHECK(href && fz_well_formed(href, strlen(href)),
                         "link span at %zu: no href or not UTF-8",
                         sp[k].start);
        }
        free(sp);
    }
    FZ_CHECK(figures == jk_document_figure_count(doc), "%zu figures of %zu",
             figures, jk_document_figure_count(doc));
}

/* Lines in reading order, inside the page and inside their block. */
static void check_layout(const jk_layout *layout, const jk_document *doc,
                         const jk_settings *st, size_t size)
{
    size_t pages = jk_layout_page_count(layout), prev_block = 0;
    FZ_CHECK(jk_document_block_count(doc) == 0 || pages > 0, "no pages");
    for (size_t p = 0; p < pages; p++) {
        size_t n = jk_layout_line_count(layout, p);
        double prev_y = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            jk_line_info li;
            FZ_CHECK(jk_layout_get_line(layout, p, i, &li) == JK_OK, "line");
            FZ_CHECK(li.block < jk_document_block_count(doc) &&
                         li.block >= prev_block,
                     "block %zu after %zu", li.block, prev_block);
            prev_block = li.block;
            jk_block_info bi;
            FZ_CHECK(jk_document_get_block(doc, li.block, &bi) == JK_OK &&
                         li.kind == bi.kind,
                     "kind");
            FZ_CHECK(li.start <= li.end && li.end <= size &&
                         li.start >= bi.start && li.end <= bi.end,
                     "line [%zu, %zu) in block [%zu, %zu)", li.start, li.end,
                     bi.start, bi.end);
            FZ_CHECK(isfinite(li.x) && isfinite(li.y) &&
                         isfinite(li.width) && li.height > 0,
                     "geometry");
            FZ_CHECK(li.x >= 0 && li.x <= st->page_width && li.y >= 0 &&
                         li.y <= st->page_height + 2 * li.height,
                     "line %zu of page %zu at (%g, %g) on %dx%d", i, p, li.x,
                     li.y, st->page_width, st->page_height);
            FZ_CHECK(li.y > prev_y, "lines go down");
            prev_y = li.y;
            /* (a drawn image's line has no text; its block may hold no
             * code points at all) */
            if (li.kind == JK_BLOCK_FIGURE && li.start == li.end)
                continue;
            size_t len = jk_layout_line_text(layout, p, i, NULL, 0);
            char *t = malloc(len + 1);
            FZ_CHECK(t, "out of memory");
            jk_layout_line_text(layout, p, i, t, len + 1);
            FZ_CHECK(fz_well_formed(t, len), "line text");
            free(t);
        }
    }
}

static void draw(jk_layout *layout, const jk_settings *st, const uint8_t *h)
{
    static const jk_pixel_format formats[] = {JK_PIXEL_GRAY8, JK_PIXEL_GRAY4,
                                              JK_PIXEL_MONO1,
                                              JK_PIXEL_RGB565};
    jk_surface sf;
    sf.format = formats[h[3] & 3];
    sf.rotation = 0;
    sf.width = st->page_width;
    sf.height = st->page_height;
    size_t row = jk_surface_row_bytes(sf.format, sf.width);
    FZ_CHECK(row > 0, "row bytes");
    sf.stride = (int)row;
    sf.pixels = malloc(row * (size_t)sf.height);
    FZ_CHECK(sf.pixels, "out of memory");
    memset(sf.pixels, 0xFF, row * (size_t)sf.height);
    jk_render_options ro;
    jk_render_options_init(&ro);
    jk_rect dirty;
    size_t page = (h[3] >> 2) % jk_layout_page_count(layout);
    jk_status s = jk_layout_render_page_ex(layout, page, &sf, &ro, &dirty);
    FZ_CHECK(s == JK_OK, "render: %s", jk_context_errmsg(fz_context()));
    FZ_CHECK(dirty.width <= 0 ||
                 (dirty.x >= 0 && dirty.y >= 0 &&
                  dirty.x + dirty.width <= sf.width &&
                  dirty.y + dirty.height <= sf.height),
             "dirty %d %d %d %d", dirty.x, dirty.y, dirty.width,
             dirty.height);
    free(sf.pixels);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER_BYTES)
        return 0;
    const uint8_t *h = data;
    const char *text = (const char *)data + HEADER_BYTES;
    size_t n = size - HEADER_BYTES;
    jk_context *ctx = fz_context();

    jk_read_options o;
    jk_read_options_init(&o);
    o.format = JK_FORMAT_MARKDOWN;
    o.load = loader;
    jk_document *doc = NULL;
    jk_status s = jk_document_read(ctx, text, n, &o, &doc);
    FZ_CHECK(s == JK_OK, "read: %s", jk_context_errmsg(ctx));
    check_document(doc, n);

    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 80 + h[0] * (MAX_SIDE - 80) / 255;
    st.page_height = 80 + h[1] * (MAX_SIDE - 80) / 255;
    st.dpi = 96;
    st.font_size_pt = 4 + (h[2] & 15);
    st.align = (h[2] & 16) ? JK_ALIGN_LEFT : JK_ALIGN_JUSTIFY;
    st.margin_top = st.margin_bottom = st.margin_left = st.margin_right = 4;
    jk_layout *layout = NULL;
    s = jk_layout_create(doc, &st, &layout);
    FZ_CHECK(s == JK_OK, "layout: %s", jk_context_errmsg(ctx));
    check_layout(layout, doc, &st, n);
    if (jk_layout_page_count(layout) > 0)
        draw(layout, &st, h);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"

int main(int argc, char **argv)
{
    int rc = fuzz_replay("fuzz-markdown", argc, argv);
    fz_release();
    return rc;
}
#endif
