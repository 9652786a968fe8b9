/* Figures on the page, through the API (jk_document_add_figure): set at
 * the measure but never beyond their natural size at the page's dpi, no
 * taller than the text box, centred, in proportion; never parted from
 * their caption, made smaller to fit a page's room only while keeping
 * half their height; placeholders framed with their alt text; the
 * pixels drawn (a flat gray stays that gray, dithered or not). */
#include <math.h>
#include <stdint.h>

#include "testutil.h"

static jk_context *ctx;

static const char para[] =
    "가나다라 마바사 아자차카 타파하. 한국어 문단입니다. 가나다라 마바사 "
    "아자차카 타파하 가나다라.";

/* 600x800 at 150 dpi, margins 40: a 520 x 720 text box. */
static jk_settings page(int height)
{
    jk_settings s;
    jk_settings_init(&s);
    s.page_width = 600;
    s.page_height = height;
    s.dpi = 150;
    s.margin_left = s.margin_right = s.margin_top = s.margin_bottom = 40;
    return s;
}

/* `paras` paragraphs, then a figure of w x h gray pixels of value `gray`
 * (or, with w 0, a placeholder for a missing image), then its caption. */
static jk_document *article(int paras, int w, int h, uint8_t gray)
{
    jk_document *doc = NULL;
    CHECK(jk_document_create(ctx, &doc) == JK_OK);
    if (!doc)
        return NULL;
    for (int i = 0; i < paras; i++)
        CHECK(jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, para,
                                    sizeof para - 1, NULL, 0) == JK_OK);
    uint8_t *px = w ? malloc((size_t)w * (size_t)h) : NULL;
    if (px)
        memset(px, gray, (size_t)w * (size_t)h);
    jk_figure_desc fd;
    jk_figure_desc_init(&fd);
    fd.pixels = px;
    fd.width = w;
    fd.height = h;
    fd.stride = w;
    fd.status = JK_IMAGE_MISSING;
    fd.alt = "사진이 없습니다";
    fd.src = "photo.jpg";
    CHECK(jk_document_add_figure(doc, &fd) == JK_OK);
    free(px);
    static const char cap[] = "사진 설명. 출처";
    CHECK(jk_document_add_block(doc, JK_BLOCK_CAPTION, cap, sizeof cap - 1,
                                NULL, 0) == JK_OK);
    return doc;
}

/* Where the figure is: its page and place; false when no page has it. */
static bool find_figure(const jk_layout *layout, size_t *page,
                        jk_figure_place *fp)
{
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        if (jk_layout_page_figures(layout, p, fp, 1) == 1) {
            *page = p;
            return true;
        }
    return false;
}

/* The page and index of the first line of block `block`. */
static bool find_block(const jk_layout *layout, size_t block, size_t *page,
                       jk_line_info *li)
{
    for (size_t p = 0; p < jk_layout_page_count(layout); p++)
        for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
            jk_layout_get_line(layout, p, i, li);
            if (li->block == block) {
                *page = p;
                return true;
            }
        }
    return false;
}

static void test_sizes(void)
{
    jk_settings s = page(800);
    static const struct {
        int w, h;            /* the image's pixels */
        double want_w, want_h; /* as set: measure, natural, or box bound */
    } cases[] = {
        /* wider than the measure: the measure, in proportion */
        {1000, 500, 520, 260},
        /* small: its natural size at 150 dpi (96 dpi assumed) */
        {200, 100, 200 * 150 / 96.0, 100 * 150 / 96.0},
        /* tall: the text box's height less its caption, in proportion */
        {100, 2000, -1, -1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        jk_document *doc = article(0, cases[k].w, cases[k].h, 128);
        jk_figure_info fi;
        CHECK(doc && jk_document_get_figure(doc, 0, &fi) == JK_OK &&
              fi.status == JK_IMAGE_OK && fi.width == cases[k].w &&
              fi.height == cases[k].h);
        jk_layout *layout = NULL;
        CHECK(doc && jk_layout_create(doc, &s, &layout) == JK_OK);
        size_t p = 0, cp = 0;
        jk_figure_place fp;
        jk_line_info cap;
        if (!layout || !find_figure(layout, &p, &fp) ||
            !find_block(layout, 1, &cp, &cap)) {
            CHECKF(0, "case %zu: no figure or caption", k);
            jk_layout_destroy(layout);
            jk_document_destroy(doc);
            continue;
        }
        CHECKF(cp == p, "case %zu: caption on page %zu, figure on %zu", k,
               cp, p);
        double aspect = (double)cases[k].h / cases[k].w;
        CHECKF(fabs(fp.height - fp.width * aspect) <= 1 + aspect,
               "case %zu: %dx%d out of proportion", k, fp.width, fp.height);
        if (cases[k].want_w > 0)
            CHECKF(fabs(fp.width - cases[k].want_w) <= 1 &&
                       fabs(fp.height - cases[k].want_h) <= 1,
                   "case %zu: %dx%d, want %.1fx%.1f", k, fp.width, fp.height,
                   cases[k].want_w, cases[k].want_h);
        else /* filling the box with its caption below it */
            CHECKF(fp.y >= 40 && cap.top + cap.height <= 760 + 0.5 &&
                       cap.top + cap.height > 700,
                   "case %zu: figure %d..%d, caption to %.1f", k, fp.y,
                   fp.y + fp.height, cap.top + cap.height);
        /* centred in the measure */
        CHECKF(fabs(fp.x + fp.width / 2.0 - 300) <= 1, "case %zu: x %d", k,
               fp.x);
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
    }
}

/* Paragraphs before a figure at many page heights: the figure and its
 * caption share a page, the figure inside the text box, never below half
 * its height (else it moves to the next page whole). */
static void test_pages(void)
{
    size_t shrunk = 0, moved = 0, runs = 0;
    for (int paras = 1; paras <= 7; paras += 2) {
        jk_document *doc = article(paras, 1000, 500, 100);
        if (!doc)
            continue;
        for (int h = 420; h <= 900; h += 11) {
            jk_settings s = page(h);
            jk_layout *layout = NULL;
            CHECK(jk_layout_create(doc, &s, &layout) == JK_OK);
            size_t p = 0, cp = 0;
            jk_figure_place fp;
            jk_line_info cap;
            if (!layout || !find_figure(layout, &p, &fp) ||
                !find_block(layout, (size_t)paras + 1, &cp, &cap)) {
                CHECKF(0, "%d paragraphs, height %d: lost", paras, h);
                jk_layout_destroy(layout);
                continue;
            }
            runs++;
            CHECKF(cp == p, "%d paragraphs, height %d: caption on page "
                   "%zu, figure on %zu", paras, h, cp + 1, p + 1);
            CHECKF(fp.y >= 40 && fp.y + fp.height <= h - 40 &&
                       cap.top + cap.height <= h - 40 + 0.5,
                   "%d paragraphs, height %d: figure %d..%d, caption to "
                   "%.1f", paras, h, fp.y, fp.y + fp.height,
                   cap.top + cap.height);
            CHECKF(fp.height >= 130 - 1 && fp.height <= 260 &&
                       fabs(fp.height - fp.width * 0.5) <= 1.5,
                   "%d paragraphs, height %d: %dx%d", paras, h, fp.width,
                   fp.height);
            if (fp.height < 259)
                shrunk++;
            jk_line_info first;
            jk_layout_get_line(layout, p, 0, &first);
            if (first.kind == JK_BLOCK_FIGURE && p > 0)
                moved++;
            jk_layout_destroy(layout);
        }
        jk_document_destroy(doc);
    }
    /* both ways of making room happen over these heights */
    CHECKF(runs > 100 && shrunk > 0 && moved > 0,
           "%zu runs, %zu shrunk, %zu moved", runs, shrunk, moved);
}

static jk_surface surface_for(const jk_settings *s, uint8_t **px)
{
    jk_surface sf = {0};
    /* initialised: drawing compares with what the surface held */
    *px = calloc((size_t)s->page_width * (size_t)s->page_height, 1);
    sf.pixels = *px;
    sf.width = s->page_width;
    sf.height = s->page_height;
    sf.stride = s->page_width;
    sf.format = JK_PIXEL_GRAY8;
    return sf;
}

/* The picture drawn: a flat gray stays that gray, plain or dithered to
 * 16 levels, and nothing is drawn around it. */
static void test_drawn(void)
{
    jk_document *doc = article(0, 300, 200, 128);
    jk_settings s = page(800);
    jk_layout *layout = NULL;
    CHECK(doc && jk_layout_create(doc, &s, &layout) == JK_OK);
    size_t p = 0;
    jk_figure_place fp;
    if (!layout || !find_figure(layout, &p, &fp)) {
        CHECK(0);
        jk_layout_destroy(layout);
        jk_document_destroy(doc);
        return;
    }
    uint8_t *px;
    jk_surface sf = surface_for(&s, &px);
    for (int dithered = 0; dithered < 2; dithered++) {
        jk_render_options ro;
        jk_render_options_init(&ro);
        ro.gray_levels = dithered ? 16 : 256;
        ro.image_dither = dithered ? JK_DITHER_ORDERED : JK_DITHER_NONE;
        CHECK(jk_layout_render_page_ex(layout, p, &sf, &ro, NULL) == JK_OK);
        double sum = 0;
        int n = 0, lo = 255, hi = 0;
        for (int y = fp.y + 2; y < fp.y + fp.height - 2; y++)
            for (int x = fp.x + 2; x < fp.x + fp.width - 2; x++) {
                int v = px[(size_t)y * 600 + (size_t)x];
                sum += v;
                n++;
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        CHECKF(n > 0 && fabs(sum / n - 128) <= (dithered ? 3 : 1),
               "dithered %d: mean %.1f", dithered, n ? sum / n : 0);
        /* plain: one gray; dithered: the two levels around it */
        CHECKF(dithered ? (lo >= 119 && hi <= 136 && lo < hi) : lo == hi,
               "dithered %d: %d..%d", dithered, lo, hi);
        for (int y = fp.y - 3; y < fp.y + fp.height + 3; y++) {
            CHECK(px[(size_t)y * 600 + (size_t)(fp.x - 3)] == 255);
            CHECK(px[(size_t)y * 600 + (size_t)(fp.x + fp.width + 2)] == 255);
        }
    }
    free(px);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
}

/* No image: a framed placeholder holding the alt text, above its
 * caption; encoded bytes decoded; damaged bytes a placeholder too. */
static void test_placeholders(void)
{
    jk_document *doc = article(0, 0, 0, 0);
    jk_figure_info fi;
    CHECK(doc && jk_document_get_figure(doc, 0, &fi) == JK_OK &&
          fi.status == JK_IMAGE_MISSING && strcmp(fi.src, "photo.jpg") == 0);
    jk_settings s = page(800);
    jk_layout *layout = NULL;
    CHECK(doc && jk_layout_create(doc, &s, &layout) == JK_OK);
    size_t p = 0;
    jk_line_info li;
    jk_figure_place fp;
    if (layout && find_block(layout, 0, &p, &li)) {
        char text[128];
        jk_layout_line_text(layout, p, 0, text, sizeof text);
        CHECKF(li.kind == JK_BLOCK_FIGURE &&
                   strcmp(text, "사진이 없습니다") == 0,
               "placeholder [%s]", text);
        CHECK(!find_figure(layout, &p, &fp)); /* no picture drawn */
        uint8_t *px;
        jk_surface sf = surface_for(&s, &px);
        CHECK(jk_layout_render_page(layout, p, &sf) == JK_OK);
        /* the frame: the measure's edges, down the line's box */
        int y = (int)(li.top + li.height / 2);
        CHECKF(px[(size_t)y * 600 + 40] < 160 &&
                   px[(size_t)y * 600 + 559] < 160 &&
                   px[(size_t)y * 600 + 20] == 255 &&
                   px[(size_t)y * 600 + 580] == 255,
               "frame at y %d: %d %d", y, px[(size_t)y * 600 + 40],
               px[(size_t)y * 600 + 559]);
        free(px);
    } else {
        CHECK(0);
    }
    jk_layout_destroy(layout);
    jk_document_destroy(doc);

    /* Encoded bytes; the same bytes damaged. */
    CHECK(jk_document_create(ctx, &doc) == JK_OK);
    jk_figure_desc fd;
    jk_figure_desc_init(&fd);
    fd.data = tu_tiny_png;
    fd.size = sizeof tu_tiny_png;
    fd.alt = "작은 그림";
    CHECK(jk_document_add_figure(doc, &fd) == JK_OK);
    unsigned char bad[sizeof tu_tiny_png];
    memcpy(bad, tu_tiny_png, sizeof bad);
    bad[45] ^= 0xFF; /* inside the IDAT */
    fd.data = bad;
    CHECK(jk_document_add_figure(doc, &fd) == JK_OK);
    CHECK(jk_document_figure_count(doc) == 2);
    CHECK(jk_document_get_figure(doc, 0, &fi) == JK_OK &&
          fi.status == JK_IMAGE_OK && fi.width == 4 && fi.height == 3);
    CHECK(jk_document_get_figure(doc, 1, &fi) == JK_OK &&
          fi.status == JK_IMAGE_CORRUPT && fi.width == 0);
    /* bad descriptions: refused, the document as it was */
    fd.data = NULL;
    fd.size = 10;
    CHECK(jk_document_add_figure(doc, &fd) == JK_ERR_INVALID_ARGUMENT);
    fd.size = 0;
    uint8_t one = 0;
    fd.pixels = &one;
    fd.width = 2;
    fd.height = 1;
    fd.stride = 1;
    CHECK(jk_document_add_figure(doc, &fd) == JK_ERR_INVALID_ARGUMENT);
    CHECK(jk_document_figure_count(doc) == 2);
    jk_document_destroy(doc);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test-figures FONT_DIR\n");
        return 2;
    }
    ctx = tu_context(argv[1]);
    if (!ctx)
        return 1;
    test_sizes();
    test_pages();
    test_drawn();
    test_placeholders();
    jk_context_destroy(ctx);
    return tu_finish("figures");
}
