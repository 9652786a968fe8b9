/* Drawing into surfaces: pixel formats byte by byte, rotations, the dirty
 * rectangle, clipping, rendering options, the glyph cache under a tiny
 * budget, and PNG bit depths decoded back.
 * Usage: test-surface FONT_DIR ARTICLE */
#include <math.h>
#include <png.h>
#include <stdint.h>

#include "testutil.h"

static const char *font_dir, *article;

/* ------------------------------------------------- hand-made packing */

static unsigned ref_gray4(unsigned v) { return (v * 15 + 127) / 255; }
static unsigned ref_rgb565(unsigned v)
{
    unsigned r = (v * 31 + 127) / 255, g = (v * 63 + 127) / 255;
    return r << 11 | g << 5 | r;
}

/* The formulas against values worked out by hand. */
static void test_formulas(void)
{
    static const struct { unsigned v, g4, w565; } t[] = {
        {0, 0, 0x0000},   {17, 1, 0x1082},  {128, 8, 0x8410},
        {200, 12, 0xC638}, {255, 15, 0xFFFF},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        CHECKF(ref_gray4(t[i].v) == t[i].g4, "gray4(%u)", t[i].v);
        CHECKF(ref_rgb565(t[i].v) == t[i].w565, "rgb565(%u) = %04x",
               t[i].v, ref_rgb565(t[i].v));
    }
    CHECK(jk_surface_row_bytes(JK_PIXEL_GRAY8, 37) == 37);
    CHECK(jk_surface_row_bytes(JK_PIXEL_GRAY4, 37) == 19);
    CHECK(jk_surface_row_bytes(JK_PIXEL_MONO1, 37) == 5);
    CHECK(jk_surface_row_bytes(JK_PIXEL_RGB565, 37) == 74);
    CHECK(jk_surface_row_bytes(JK_PIXEL_XRGB8888, 37) == 148);
    CHECK(jk_surface_row_bytes(JK_PIXEL_BGRA8888, 37) == 148);
    CHECK(jk_surface_row_bytes((jk_pixel_format)9, 37) == 0);
    CHECK(jk_surface_row_bytes(JK_PIXEL_GRAY8, 0) == 0);

    /* Reading back, on hand-filled pixels. */
    uint8_t px[8] = {0x8F, 0x00, 0xA5, 0x00, 0x10, 0x84, 0, 0};
    jk_surface g4 = {px, 2, 1, 8, JK_PIXEL_GRAY4, 0};
    CHECK(jk_surface_get_gray(&g4, 0, 0) == 8 * 17);
    CHECK(jk_surface_get_gray(&g4, 1, 0) == 255);
    CHECK(jk_surface_get_gray(&g4, 2, 0) == -1);
    jk_surface m1 = {px + 2, 8, 1, 1, JK_PIXEL_MONO1, 0};
    CHECK(jk_surface_get_gray(&m1, 0, 0) == 255); /* 1010 0101 */
    CHECK(jk_surface_get_gray(&m1, 1, 0) == 0);
    CHECK(jk_surface_get_gray(&m1, 7, 0) == 255);
    jk_surface r5 = {px + 4, 1, 1, 2, JK_PIXEL_RGB565, 0};
    CHECK(jk_surface_get_gray(&r5, 0, 0) == (32 * 255 + 31) / 63);
    jk_surface bad = {px, 1, 1, 2, JK_PIXEL_XRGB8888, 0};
    CHECK(jk_surface_get_gray(&bad, 0, 0) == -1); /* stride < 4 */
}

/* ------------------------------------------------------------ fixtures */

typedef struct fixture {
    jk_context *ctx;
    jk_document *doc;
    jk_layout *layout;
} fixture;

static bool fixture_open(fixture *f, const char *text, size_t size, int w,
                         int h, int dpi)
{
    memset(f, 0, sizeof *f);
    f->ctx = tu_context(font_dir);
    if (!f->ctx)
        return false;
    if (jk_document_create_from_text(f->ctx, text, size, &f->doc) != JK_OK)
        return false;
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = w;
    st.page_height = h;
    st.dpi = dpi;
    if (w < 300)
        st.margin_left = st.margin_right = st.margin_top =
            st.margin_bottom = 3;
    return jk_layout_create(f->doc, &st, &f->layout) == JK_OK;
}

static void fixture_close(fixture *f)
{
    jk_layout_destroy(f->layout);
    jk_document_destroy(f->doc);
    jk_context_destroy(f->ctx);
}

typedef struct image {
    uint8_t *px;
    jk_surface sf;
} image;

static image image_new(int w, int h, jk_pixel_format fmt, int rotation,
                       int pad, uint8_t fill)
{
    image im;
    size_t row = jk_surface_row_bytes(fmt, w) + (size_t)pad;
    im.px = malloc(row * (size_t)h);
    memset(im.px, fill, row * (size_t)h);
    im.sf = (jk_surface){im.px, w, h, (int)row, fmt, rotation};
    return im;
}

static uint8_t g8(const image *im, int x, int y)
{
    return im->px[(size_t)y * (size_t)im->sf.stride + (size_t)x];
}

/* --------------------------------------------------- formats, byte-exact */

static void test_formats_small(void)
{
    static const char text[] = "가나 Ag\n\n한글 text, 글자.\n";
    fixture f;
    CHECK(fixture_open(&f, text, sizeof text - 1, 37, 30, 96));
    if (!f.layout) {
        fixture_close(&f);
        return;
    }
    /* GRAY8 references at 256, 16 and 2 levels. */
    image ref[3];
    int levels[3] = {256, 16, 2};
    for (int i = 0; i < 3; i++) {
        ref[i] = image_new(37, 30, JK_PIXEL_GRAY8, 0, 0, 0);
        jk_render_options o;
        jk_render_options_init(&o);
        o.gray_levels = levels[i];
        CHECK(jk_layout_render_page_ex(f.layout, 0, &ref[i].sf, &o, NULL) ==
              JK_OK);
    }
    size_t inked = 0, mid = 0;
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 37; x++) {
            inked += g8(&ref[0], x, y) < 255;
            mid += g8(&ref[0], x, y) > 0 && g8(&ref[0], x, y) < 255;
            CHECK(g8(&ref[1], x, y) % 17 == 0);
            CHECK(g8(&ref[2], x, y) == 0 || g8(&ref[2], x, y) == 255);
        }
    CHECKF(inked > 40 && mid > 10, "inked %zu, antialiased %zu", inked, mid);

    const int pad = 3; /* stride beyond the row: padding stays 0xEE */
    for (int fmt = 0; fmt < JK_PIXEL_FORMAT_COUNT; fmt++) {
        image im = image_new(37, 30, (jk_pixel_format)fmt, 0, pad, 0xEE);
        CHECK(jk_layout_render_page(f.layout, 0, &im.sf) == JK_OK);
        size_t row = jk_surface_row_bytes((jk_pixel_format)fmt, 37);
        int bad = 0;
        for (int y = 0; y < 30; y++) {
            const uint8_t *r = im.px + (size_t)y * (size_t)im.sf.stride;
            for (int p = 0; p < pad; p++)
                bad += r[row + p] != 0xEE;
            for (int x = 0; x < 37; x++) {
                unsigned v = g8(&ref[0], x, y);
                switch (fmt) {
                case JK_PIXEL_GRAY8: bad += r[x] != v; break;
                case JK_PIXEL_GRAY4: {
                    unsigned want = g8(&ref[1], x, y) / 17;
                    unsigned got = x & 1 ? r[x / 2] & 15 : r[x / 2] >> 4;
                    bad += got != want || want != ref_gray4(g8(&ref[1], x, y));
                    break;
                }
                case JK_PIXEL_MONO1: {
                    unsigned want = g8(&ref[2], x, y) == 255;
                    bad += ((r[x / 8] >> (7 - x % 8)) & 1) != want;
                    break;
                }
                case JK_PIXEL_RGB565: {
                    unsigned w = ref_rgb565(v);
                    bad += r[2 * x] != (w & 0xFF) || r[2 * x + 1] != w >> 8;
                    break;
                }
                case JK_PIXEL_XRGB8888:
                    bad += r[4 * x] != v || r[4 * x + 1] != v ||
                           r[4 * x + 2] != v || r[4 * x + 3] != 0xFF;
                    break;
                case JK_PIXEL_BGRA8888:
                    bad += r[4 * x] != 0xFF || r[4 * x + 1] != v ||
                           r[4 * x + 2] != v || r[4 * x + 3] != v;
                    break;
                }
            }
            /* the unused low nibble / bits of the last byte are kept */
            if (fmt == JK_PIXEL_GRAY4)
                bad += (r[18] & 15) != (0xEE & 15);
            if (fmt == JK_PIXEL_MONO1)
                bad += (r[4] & 7) != (0xEE & 7);
        }
        CHECKF(bad == 0, "format %d: %d bytes differ", fmt, bad);
        free(im.px);
    }

    /* Rotations, byte-exact against the upright page. */
    for (int rot = 90; rot < 360; rot += 90) {
        bool turned = rot != 180;
        int sw = turned ? 30 : 37, sh = turned ? 37 : 30;
        for (int fmt = 0; fmt < JK_PIXEL_FORMAT_COUNT; fmt++) {
            image im = image_new(sw, sh, (jk_pixel_format)fmt, rot, 1, 0x55);
            CHECK(jk_layout_render_page(f.layout, 0, &im.sf) == JK_OK);
            int bad = 0;
            const image *r = fmt == JK_PIXEL_GRAY4   ? &ref[1]
                             : fmt == JK_PIXEL_MONO1 ? &ref[2]
                                                     : &ref[0];
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < 37; x++) {
                    int sx = x, sy = y;
                    if (rot == 90)
                        sx = 29 - y, sy = x;
                    if (rot == 180)
                        sx = 36 - x, sy = 29 - y;
                    if (rot == 270)
                        sx = y, sy = 36 - x;
                    int want = g8(r, x, y);
                    if (fmt == JK_PIXEL_RGB565)
                        want = (int)(((ref_rgb565((unsigned)want) >> 5 & 63) *
                                      255 + 31) / 63);
                    bad += jk_surface_get_gray(&im.sf, sx, sy) != want;
                }
            CHECKF(bad == 0, "rotation %d format %d: %d pixels differ", rot,
                   fmt, bad);
            free(im.px);
        }
    }
    for (int i = 0; i < 3; i++)
        free(ref[i].px);

    /* Bad surfaces and options are refused. */
    uint8_t px[4096] = {0};
    jk_surface s = {px, 37, 30, 37, JK_PIXEL_GRAY8, 45};
    CHECK(jk_layout_render_page(f.layout, 0, &s) == JK_ERR_INVALID_ARGUMENT);
    CHECK(strstr(jk_context_errmsg(f.ctx), "rotation") != NULL);
    s = (jk_surface){px, 37, 30, 73, JK_PIXEL_RGB565, 0};
    CHECK(jk_layout_render_page(f.layout, 0, &s) == JK_ERR_INVALID_ARGUMENT);
    s = (jk_surface){px, 37, 30, 40, (jk_pixel_format)17, 0};
    CHECK(jk_layout_render_page(f.layout, 0, &s) == JK_ERR_INVALID_ARGUMENT);
    s = (jk_surface){px, 37, 30, 40, JK_PIXEL_GRAY8, 0};
    jk_render_options o;
    jk_render_options_init(&o);
    o.gray_levels = 3;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &s, &o, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_render_options_init(&o);
    o.darken = 1.5;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &s, &o, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_render_options_init(&o);
    o.gamma = -1;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &s, &o, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_render_options_init(&o);
    o.dither = (jk_dither)7;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &s, &o, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_render_options zero;
    memset(&zero, 0, sizeof zero); /* zeroed options are the defaults */
    CHECK(jk_layout_render_page_ex(f.layout, 0, &s, &zero, NULL) == JK_OK);
    fixture_close(&f);
}

/* ------------------------------------------------- the reference page */

static void rot90(const uint8_t *src, int w, int h, uint8_t *dst)
{
    /* clockwise: (x, y) -> (h - 1 - y, x) in a h x w image */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            dst[(size_t)x * (size_t)h + (size_t)(h - 1 - y)] =
                src[(size_t)y * (size_t)w + (size_t)x];
}

static bool rect_equal(jk_rect a, jk_rect b)
{
    return a.x == b.x && a.y == b.y && a.width == b.width &&
           a.height == b.height;
}

/* Bounding box of differing GRAY8 pixels. */
static jk_rect diff_box(const uint8_t *a, const uint8_t *b, int w, int h)
{
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (a[(size_t)y * w + x] != b[(size_t)y * w + x]) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    if (x1 < 0)
        return (jk_rect){0, 0, 0, 0};
    return (jk_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static double mean(const uint8_t *p, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s / (double)n;
}

static void test_article(void)
{
    size_t size = 0;
    char *text = tu_read_file(article, &size);
    CHECK(text != NULL);
    fixture f;
    const int W = 1072, H = 1448;
    const size_t N = (size_t)W * H;
    CHECK(fixture_open(&f, text, size, W, H, 300));
    free(text);
    if (!f.layout || jk_layout_page_count(f.layout) < 2) {
        CHECK(!"article layout");
        fixture_close(&f);
        return;
    }
    image ref = image_new(W, H, JK_PIXEL_GRAY8, 0, 0, 0);
    jk_rect dirty;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &ref.sf, NULL, &dirty) ==
          JK_OK);
    CHECK(rect_equal(dirty, (jk_rect){0, 0, W, H})); /* from black */

    /* The cache: a warm re-render rasterizes nothing; the dirty rectangle
     * of the same page is empty. */
    jk_glyph_cache_stats a, b;
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &a) == JK_OK);
    CHECK(a.misses > 100 && a.budget == JK_GLYPH_CACHE_DEFAULT_BUDGET);
    CHECK(a.bytes <= a.budget && a.entries == a.misses);
    CHECK(jk_layout_render_page_ex(f.layout, 0, &ref.sf, NULL, &dirty) ==
          JK_OK);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &b) == JK_OK);
    CHECK(b.misses == a.misses && b.hits > a.hits);
    CHECK(dirty.width == 0 && dirty.height == 0);

    /* Next page: the dirty rectangle is exactly where pixels differ. */
    image next = image_new(W, H, JK_PIXEL_GRAY8, 0, 0, 0);
    CHECK(jk_layout_render_page(f.layout, 1, &next.sf) == JK_OK);
    jk_rect want = diff_box(ref.px, next.px, W, H);
    CHECK(want.width > W / 2 && want.height > H / 2);
    image cur = image_new(W, H, JK_PIXEL_GRAY8, 0, 0, 0);
    memcpy(cur.px, ref.px, N);
    CHECK(jk_layout_render_page_ex(f.layout, 1, &cur.sf, NULL, &dirty) ==
          JK_OK);
    CHECKF(rect_equal(dirty, want), "dirty %d %d %d %d want %d %d %d %d",
           dirty.x, dirty.y, dirty.width, dirty.height, want.x, want.y,
           want.width, want.height);
    CHECK(memcmp(cur.px, next.px, N) == 0);

    /* Rotated: the same rectangle, turned. Page 0 then page 1 at 90. */
    image r90 = image_new(H, W, JK_PIXEL_GRAY8, 90, 0, 0);
    CHECK(jk_layout_render_page(f.layout, 0, &r90.sf) == JK_OK);
    CHECK(jk_layout_render_page_ex(f.layout, 1, &r90.sf, NULL, &dirty) ==
          JK_OK);
    jk_rect turned = {H - want.y - want.height, want.x, want.height,
                      want.width};
    CHECK(rect_equal(dirty, turned));

    /* Rotation: 90 four times is the original; each render equals the
     * upright page turned. */
    uint8_t *t1 = malloc(N), *t2 = malloc(N);
    memcpy(t1, ref.px, N);
    int w = W, h = H;
    for (int k = 1; k <= 4; k++) {
        rot90(t1, w, h, t2);
        int t = w;
        w = h;
        h = t;
        memcpy(t1, t2, N);
        if (k < 4) {
            image im = image_new(w, h, JK_PIXEL_GRAY8, 90 * k, 0, 0);
            CHECK(jk_layout_render_page(f.layout, 0, &im.sf) == JK_OK);
            CHECKF(memcmp(im.px, t1, N) == 0, "rotation %d", 90 * k);
            free(im.px);
        }
    }
    CHECK(memcmp(t1, ref.px, N) == 0);
    free(t1);
    free(t2);

    /* Every format decoded back agrees with GRAY8 within its levels. */
    static const int tol[JK_PIXEL_FORMAT_COUNT] = {0, 8, 127, 2, 0, 0};
    for (int fmt = 1; fmt < JK_PIXEL_FORMAT_COUNT; fmt++) {
        image im = image_new(W, H, (jk_pixel_format)fmt, 0, 0, 0);
        CHECK(jk_layout_render_page(f.layout, 0, &im.sf) == JK_OK);
        int worst = 0;
        for (int y = 0; y < H; y += 1)
            for (int x = 0; x < W; x++) {
                int d = abs(jk_surface_get_gray(&im.sf, x, y) - g8(&ref, x, y));
                worst = d > worst ? d : worst;
            }
        CHECKF(worst <= tol[fmt], "format %d: off by %d", fmt, worst);
        free(im.px);
    }

    /* Clip: only the clip changes, and there as the full render. */
    image cl = image_new(W, H, JK_PIXEL_GRAY8, 0, 0, 77);
    jk_render_options o;
    jk_render_options_init(&o);
    o.clip_enabled = 1;
    o.clip = (jk_rect){100, 200, 300, 150};
    CHECK(jk_layout_render_page_ex(f.layout, 0, &cl.sf, &o, &dirty) == JK_OK);
    CHECK(rect_equal(dirty, o.clip)); /* 77 is nowhere on a page */
    int bad = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x >= 100 && x < 400 && y >= 200 && y < 350;
            bad += g8(&cl, x, y) != (in ? g8(&ref, x, y) : 77);
        }
    CHECK(bad == 0);
    free(cl.px);

    /* Options. */
    double base = mean(ref.px, N);
    image op = image_new(W, H, JK_PIXEL_GRAY8, 0, 0, 0);
    jk_render_options_init(&o);
    o.invert = 1;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) == JK_OK);
    bad = 0;
    for (size_t i = 0; i < N; i++)
        bad += op.px[i] != 255 - ref.px[i];
    CHECK(bad == 0);
    jk_render_options_init(&o);
    o.darken = 0.6;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) == JK_OK);
    double darker = mean(op.px, N);
    CHECKF(darker < base - 0.5, "darken: %.2f vs %.2f", darker, base);
    jk_render_options_init(&o);
    o.gamma = 2.2;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) == JK_OK);
    CHECK(mean(op.px, N) < base - 0.3);
    jk_render_options_init(&o);
    o.gamma = 0.5;
    CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) == JK_OK);
    CHECK(mean(op.px, N) > base + 0.3);
    for (int hint = 0; hint < 3; hint++) {
        jk_render_options_init(&o);
        o.hinting = (jk_hinting)hint;
        CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) ==
              JK_OK);
        CHECK(fabs(mean(op.px, N) - base) < 1.5);
        CHECK(hint == JK_HINTING_LIGHT || memcmp(op.px, ref.px, N) != 0);
    }
    static const int lv[] = {16, 4, 2};
    for (int d = 0; d < 3; d++)
        for (int l = 0; l < 3; l++) {
            jk_render_options_init(&o);
            o.gray_levels = lv[l];
            o.dither = (jk_dither)d;
            CHECK(jk_layout_render_page_ex(f.layout, 0, &op.sf, &o, NULL) ==
                  JK_OK);
            int off = 0;
            for (size_t i = 0; i < N; i++)
                off += op.px[i] % (255 / (lv[l] - 1)) != 0;
            CHECKF(off == 0, "levels %d dither %d", lv[l], d);
            /* dithering keeps the page's average tone */
            CHECKF(d == 0 || fabs(mean(op.px, N) - base) < 1.0,
                   "levels %d dither %d: mean %.2f vs %.2f", lv[l], d,
                   mean(op.px, N), base);
        }

    /* A tiny cache budget: same pixels, glyphs evicted, bytes bounded. */
    CHECK(jk_context_set_glyph_cache_budget(f.ctx, 2000) == JK_OK);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &a) == JK_OK);
    CHECK(a.bytes <= 2000 && a.evictions > 0);
    CHECK(jk_layout_render_page(f.layout, 0, &op.sf) == JK_OK);
    CHECK(memcmp(op.px, ref.px, N) == 0);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &b) == JK_OK);
    CHECK(b.misses > a.misses + 100 && b.bytes <= 2000);
    CHECK(jk_context_set_glyph_cache_budget(f.ctx, 0) == JK_OK);
    CHECK(jk_layout_render_page(f.layout, 1, &op.sf) == JK_OK);
    CHECK(memcmp(op.px, next.px, N) == 0);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &b) == JK_OK);
    CHECK(b.entries == 0 && b.bytes == 0);
    CHECK(jk_context_set_glyph_cache_budget(f.ctx, 1 << 20) == JK_OK);
    CHECK(jk_layout_render_page(f.layout, 0, &op.sf) == JK_OK);
    jk_context_clear_glyph_cache(f.ctx);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, &b) == JK_OK);
    CHECK(b.entries == 0 && b.bytes == 0);
    CHECK(jk_context_set_glyph_cache_budget(NULL, 1) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_context_get_glyph_cache_stats(f.ctx, NULL) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_context_clear_glyph_cache(NULL);

    free(op.px);
    free(r90.px);
    free(cur.px);
    free(next.px);
    free(ref.px);
    fixture_close(&f);
}

/* ------------------------------------------------------------------ PNG */

/* Decode and compare every pixel with the surface's gray, quantized. */
static void check_png(membuf *m, const jk_surface *sf, int depth, int dpi,
                      const char *title)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL,
                                             NULL, NULL);
    png_infop info = png_create_info_struct(png);
    uint8_t *row = malloc((size_t)sf->width);
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, m, mem_read);
        png_read_info(png, info);
        CHECK((int)png_get_image_width(png, info) == sf->width);
        CHECK(png_get_bit_depth(png, info) == depth);
        CHECK(png_get_color_type(png, info) == PNG_COLOR_TYPE_GRAY);
        png_uint_32 xr = 0, yr = 0;
        int unit = 0;
        CHECK(png_get_pHYs(png, info, &xr, &yr, &unit) == PNG_INFO_pHYs);
        CHECK(xr == (png_uint_32)lround(dpi / 0.0254) && yr == xr &&
              unit == PNG_RESOLUTION_METER);
        png_textp text = NULL;
        int nt = 0;
        png_get_text(png, info, &text, &nt);
        CHECK(nt == 1 && strcmp(text[0].key, "Title") == 0 &&
              strcmp(text[0].text, title) == 0);
        if (depth < 8)
            png_set_packing(png); /* one byte a pixel, values 0..2^d-1 */
        int bad = 0;
        unsigned maxv = (1u << depth) - 1;
        for (int y = 0; y < sf->height; y++) {
            png_read_row(png, row, NULL);
            for (int x = 0; x < sf->width; x++) {
                unsigned v = (unsigned)jk_surface_get_gray(sf, x, y);
                bad += row[x] != (v * maxv + 127) / 255;
            }
        }
        CHECKF(bad == 0, "depth %d: %d pixels", depth, bad);
    } else {
        CHECK(!"PNG decoding failed");
    }
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
}

static void test_png_depths(void)
{
    static const char text[] = "Pâté 제목\n\n한글 본문과 Latin text.\n";
    fixture f;
    CHECK(fixture_open(&f, text, sizeof text - 1, 203, 90, 167));
    static const int depths[] = {8, 4, 2, 1};
    static const int levels[] = {256, 16, 4, 2};
    for (int i = 0; i < 4; i++) {
        for (int fmt = 0; fmt < JK_PIXEL_FORMAT_COUNT; fmt += 2) {
            image im = image_new(203, 90, (jk_pixel_format)fmt, 0, 2, 0);
            jk_render_options o;
            jk_render_options_init(&o);
            o.gray_levels = levels[i];
            o.dither = i == 3 ? JK_DITHER_ORDERED : JK_DITHER_NONE;
            CHECK(jk_layout_render_page_ex(f.layout, 0, &im.sf, &o, NULL) ==
                  JK_OK);
            jk_png_options po;
            jk_png_options_init(&po);
            po.bit_depth = depths[i];
            po.dpi = 167;
            po.title = i & 1 ? "Pâté" : "제목 Title";
            po.compression = i == 2 ? -1 : i == 1 ? 9 : 0;
            membuf m = {0};
            CHECK(jk_surface_write_png_ex(f.ctx, &im.sf, &po, mem_write,
                                          &m) == JK_OK);
            /* tEXt holds Latin-1; iTXt UTF-8 */
            check_png(&m, &im.sf, depths[i], 167,
                      i & 1 ? "P\xe2t\xe9" : po.title);
            free(m.data);
            free(im.px);
        }
    }
    image im = image_new(203, 90, JK_PIXEL_GRAY8, 0, 0, 0);
    jk_png_options po;
    jk_png_options_init(&po);
    po.bit_depth = 3;
    membuf m = {0};
    CHECK(jk_surface_write_png_ex(f.ctx, &im.sf, &po, mem_write, &m) ==
          JK_ERR_INVALID_ARGUMENT);
    jk_png_options_init(&po);
    po.compression = 12;
    CHECK(jk_surface_write_png_ex(f.ctx, &im.sf, &po, mem_write, &m) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_surface_write_png_ex(f.ctx, &im.sf, NULL, NULL, &m) ==
          JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_surface_write_png_ex(f.ctx, &im.sf, NULL, mem_write, &m) ==
          JK_OK);
    free(m.data);
    free(im.px);
    fixture_close(&f);
}

/* The default writer's own stream (render/deflate.c) on what a page is
 * not: runs of every length from 1 to 700 of every gray, noise, and
 * stripes, at 8 and 4 bits, decoded by libpng pixel for pixel. */
static void test_png_runs(void)
{
    jk_context *ctx = NULL;
    CHECK(jk_context_create(NULL, &ctx) == JK_OK);
    int w = 700, h = 160;
    image im = image_new(w, h, JK_PIXEL_GRAY8, 0, 3, 0);
    unsigned seed = 12345;
    for (int y = 0; y < h; y++) {
        uint8_t *row = im.sf.pixels + (size_t)y * (size_t)im.sf.stride;
        int x = 0, len = y + 1;
        while (x < w) { /* runs of `len`, then of len + 1, ... */
            uint8_t v = (uint8_t)(y * 37 + x);
            for (int k = 0; k < len && x < w; k++, x++) {
                seed = seed * 1103515245u + 12345u;
                row[x] = y >= 120   ? (uint8_t)(seed >> 16)
                         : y >= 100 ? (uint8_t)(x % 3 ? 255 : 0)
                                    : v;
            }
            len = len % 700 + 1;
        }
    }
    /* the longest runs: whole rows, and a row that runs into the next */
    memset(im.sf.pixels + 5 * (size_t)im.sf.stride, 255, (size_t)w);
    memset(im.sf.pixels + 6 * (size_t)im.sf.stride, 255, (size_t)w);
    static const int depths[] = {8, 4};
    for (int i = 0; i < 2; i++) {
        jk_png_options po;
        jk_png_options_init(&po);
        po.bit_depth = depths[i];
        po.dpi = 300;
        po.title = "runs";
        membuf m = {0};
        CHECK(jk_surface_write_png_ex(ctx, &im.sf, &po, mem_write, &m) ==
              JK_OK);
        check_png(&m, &im.sf, depths[i], 300, "runs");
        free(m.data);
    }
    free(im.px);
    jk_context_destroy(ctx);
}

/* A bold block set in a font without a bold face gets synthetic bold: more
 * ink than the same face declared bold (no emboldening). */
static double title_ink(bool declare_bold)
{
    jk_context *ctx = NULL;
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    char path[4096];
    double ink = -1;
    jk_font_desc serif = {JK_FONT_KOREAN, JK_FAMILY_SERIF, 0, 0};
    jk_font_desc sans = {JK_FONT_KOREAN, JK_FAMILY_SANS, 0, 0};
    jk_font_desc bold = {JK_FONT_KOREAN, JK_FAMILY_SANS, 1, 0};
    static const char text[] = "가나다라\n\n마바사\n";
    jk_settings st;
    jk_settings_init(&st);
    st.page_width = 300;
    st.page_height = 200;
    st.dpi = 150;
    if (jk_context_create(NULL, &ctx) != JK_OK)
        return -1;
    snprintf(path, sizeof path, "%s/NanumMyeongjo.ttf", font_dir);
    if (jk_context_add_font_file(ctx, path, &serif) != JK_OK)
        goto done;
    snprintf(path, sizeof path, "%s/NanumGothic.ttf", font_dir);
    if (jk_context_add_font_file(ctx, path, &sans) != JK_OK ||
        (declare_bold && jk_context_add_font_file(ctx, path, &bold)) ||
        jk_document_create_from_text(ctx, text, sizeof text - 1, &doc) ||
        jk_layout_create(doc, &st, &layout))
        goto done;
    image im = image_new(300, 200, JK_PIXEL_GRAY8, 0, 0, 0);
    jk_line_info li;
    if (jk_layout_render_page(layout, 0, &im.sf) == JK_OK &&
        jk_layout_get_line(layout, 0, 0, &li) == JK_OK &&
        li.kind == JK_BLOCK_TITLE) {
        ink = 0;
        for (int y = 0; y < (int)li.y + 4; y++)
            for (int x = 0; x < 300; x++)
                ink += 255 - g8(&im, x, y);
    }
    free(im.px);
done:
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    return ink;
}

static void test_synthetic_bold(void)
{
    double synthetic = title_ink(false), plain = title_ink(true);
    CHECKF(plain > 0 && synthetic > plain * 1.15, "ink %.0f vs %.0f",
           synthetic, plain);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test-surface FONT_DIR ARTICLE\n");
        return 2;
    }
    font_dir = argv[1];
    article = argv[2];
    test_formulas();
    test_formats_small();
    test_article();
    test_png_depths();
    test_png_runs();
    test_synthetic_bold();
    return tu_finish("surface");
}
