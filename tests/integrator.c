/* What a firmware integrator relies on, written as one would: against the
 * installed <jikji.h> and jikji.pc only (no private header, no
 * tests/testutil.h). tests/install_test.py installs the build into a
 * temporary folder and compiles this with `pkg-config --cflags --libs
 * jikji` alone.
 *
 * Usage: integrator FONT_DIR ARTICLE
 * One line per check ("ok" or "FAIL"), then "integrator: N passed, M
 * failed"; exit status 1 on any failure. */
#include <jikji.h>

#include <math.h> /* NAN only: no libm function is called */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- checks */

static int passed, failed;

/* Prints one line per check; returns `ok` so a caller can stop early. */
static bool check(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(ok ? "ok   " : "FAIL ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
    if (ok)
        passed++;
    else
        failed++;
    return ok;
}

static bool errmsg_set(const jk_context *ctx)
{
    const char *m = jk_context_errmsg(ctx);
    return m != NULL && m[0] != '\0';
}

static bool errmsg_clear(const jk_context *ctx)
{
    const char *m = jk_context_errmsg(ctx);
    return m != NULL && m[0] == '\0';
}

/* ------------------------------------------------------ allocator hooks */

typedef struct counter {
    long live;  /* blocks allocated and not yet freed */
    long total; /* blocks ever allocated */
    long frees_of_unknown; /* free_fn(NULL) calls: harmless, counted */
} counter;

static void *count_malloc(size_t size, void *user)
{
    counter *c = user;
    void *p = malloc(size ? size : 1);
    if (p) {
        c->live++;
        c->total++;
    }
    return p;
}

static void *count_realloc(void *ptr, size_t size, void *user)
{
    counter *c = user;
    void *p = realloc(ptr, size ? size : 1);
    if (p && !ptr) {
        c->live++;
        c->total++;
    }
    return p;
}

static void count_free(void *ptr, void *user)
{
    counter *c = user;
    if (!ptr) {
        c->frees_of_unknown++;
        return;
    }
    c->live--;
    free(ptr);
}

/* --------------------------------------------------------- files, fonts */

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *size = (size_t)n;
    }
    return buf;
}

/* A font in "flash": bytes the firmware owns, lent to the context. */
typedef struct flash_font {
    char name[64];
    void *data;
    size_t size;
    int released; /* times release was called */
} flash_font;

static void flash_release(void *user)
{
    flash_font *f = user;
    f->released++;
    free(f->data); /* the firmware gets its memory back */
    f->data = NULL;
}

static bool flash_load(flash_font *f, const char *dir, const char *file)
{
    char path[4096];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", file);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    f->data = read_file(path, &f->size);
    return f->data != NULL;
}

/* ---------------------------------------------------- layout snapshots */

/* Everything a reader sees of a layout: pages, lines and their text, and
 * its settings. */
typedef struct snapshot {
    size_t pages, lines;
    size_t *per_page;
    jk_line_info *info;
    char **text;
    jk_settings settings;
} snapshot;

static void snapshot_free(snapshot *s)
{
    for (size_t i = 0; s->text && i < s->lines; i++)
        free(s->text[i]);
    free(s->text);
    free(s->info);
    free(s->per_page);
    memset(s, 0, sizeof *s);
}

static bool snapshot_take(const jk_layout *layout, snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->pages = jk_layout_page_count(layout);
    s->per_page = calloc(s->pages ? s->pages : 1, sizeof *s->per_page);
    if (!s->per_page)
        return false;
    size_t total = 0;
    for (size_t p = 0; p < s->pages; p++)
        total += s->per_page[p] = jk_layout_line_count(layout, p);
    s->info = calloc(total ? total : 1, sizeof *s->info);
    s->text = calloc(total ? total : 1, sizeof *s->text);
    if (!s->info || !s->text)
        return false;
    size_t k = 0;
    for (size_t p = 0; p < s->pages; p++)
        for (size_t l = 0; l < s->per_page[p]; l++, k++) {
            /* zeroed first: padding compares equal with memcmp */
            memset(&s->info[k], 0, sizeof s->info[k]);
            if (jk_layout_get_line(layout, p, l, &s->info[k]) != JK_OK)
                return false;
            size_t n = jk_layout_line_text(layout, p, l, NULL, 0);
            s->text[k] = malloc(n + 1);
            s->lines = k + 1;
            if (!s->text[k])
                return false;
            jk_layout_line_text(layout, p, l, s->text[k], n + 1);
        }
    s->lines = total;
    memset(&s->settings, 0, sizeof s->settings);
    s->settings.struct_size = sizeof s->settings;
    jk_layout_get_settings(layout, &s->settings);
    return true;
}

/* Whether two snapshots show the same layout; `what` says what differs. */
static bool snapshot_same(const snapshot *a, const snapshot *b,
                          bool with_settings, char *what, size_t what_size)
{
    snprintf(what, what_size, "same");
    if (a->pages != b->pages || a->lines != b->lines) {
        snprintf(what, what_size, "%zu pages %zu lines, now %zu pages %zu "
                 "lines", a->pages, a->lines, b->pages, b->lines);
        return false;
    }
    for (size_t p = 0; p < a->pages; p++)
        if (a->per_page[p] != b->per_page[p]) {
            snprintf(what, what_size, "page %zu: %zu lines, now %zu", p,
                     a->per_page[p], b->per_page[p]);
            return false;
        }
    for (size_t k = 0; k < a->lines; k++) {
        if (memcmp(&a->info[k], &b->info[k], sizeof a->info[k]) != 0) {
            snprintf(what, what_size, "line %zu: its jk_line_info differs",
                     k);
            return false;
        }
        if (strcmp(a->text[k], b->text[k]) != 0) {
            snprintf(what, what_size, "line %zu: \"%.40s\", now \"%.40s\"",
                     k, a->text[k], b->text[k]);
            return false;
        }
    }
    if (with_settings &&
        memcmp(&a->settings, &b->settings, sizeof a->settings) != 0) {
        snprintf(what, what_size, "jk_layout_get_settings differs");
        return false;
    }
    return true;
}

/* jk_layout_get_settings as a program built against a header whose
 * jk_settings was `size` bytes calls it: the macro passes sizeof *(out). */
static void get_settings_as(const jk_layout *layout, void *buf, size_t size)
{
    jk_layout_get_settings_sized(layout, buf, size);
}

/* ------------------------------------------------------------ PNG sink */

typedef struct sink {
    unsigned char *data;
    size_t size, cap;
    int fail_after; /* > 0: refuse the n-th write (a full flash) */
    int writes;
} sink;

static int sink_write(void *user, const void *data, size_t size)
{
    sink *s = user;
    s->writes++;
    if (s->fail_after > 0 && s->writes >= s->fail_after)
        return 1;
    if (s->size + size > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->size + size)
            cap *= 2;
        unsigned char *p = realloc(s->data, cap);
        if (!p)
            return 1;
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->size, data, size);
    s->size += size;
    return 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Whether the PNG has a chunk of `type` (walking the chunk list). */
static bool png_has_chunk(const sink *s, const char *type)
{
    size_t at = 8;
    while (at + 12 <= s->size) {
        uint32_t len = be32(s->data + at);
        if (memcmp(s->data + at + 4, type, 4) == 0)
            return true;
        if (len > s->size - at - 12)
            return false;
        at += 12 + (size_t)len;
    }
    return false;
}

/* -------------------------------------------------------------- pixels */

static uint16_t rgb565_of_gray(int gray)
{
    unsigned r = (unsigned)(gray * 31 + 127) / 255;
    unsigned g = (unsigned)(gray * 63 + 127) / 255;
    return (uint16_t)(r << 11 | g << 5 | r);
}

static uint16_t get16(const uint8_t *row, int x)
{
    return (uint16_t)(row[2 * x] | row[2 * x + 1] << 8); /* little-endian */
}

static bool rect_empty(jk_rect r) { return r.width <= 0 || r.height <= 0; }

/* fabs and floor without libm: only what pkg-config gives is linked. */
static double dabs(double v) { return v < 0 ? -v : v; }
static double dfloor(double v)
{
    double t = (double)(long long)v;
    return t > v ? t - 1 : t;
}

/* -------------------------------------------------------------- checks */

static void check_version(void)
{
    check(JK_VERSION_ATLEAST(1, 0, 0), "JK_VERSION_ATLEAST(1, 0, 0) (%s)",
          JK_VERSION_STRING);
    check(!JK_VERSION_ATLEAST(JK_VERSION_MAJOR + 1, 0, 0),
          "!JK_VERSION_ATLEAST(JK_VERSION_MAJOR + 1, 0, 0)");
    check(jk_version_number() == JK_VERSION_NUMBER,
          "jk_version_number() 0x%06x == JK_VERSION_NUMBER 0x%06x",
          jk_version_number(), (unsigned)JK_VERSION_NUMBER);
    check(strcmp(jk_version(), JK_VERSION_STRING) == 0,
          "jk_version() \"%s\" == JK_VERSION_STRING \"%s\"", jk_version(),
          JK_VERSION_STRING);
}

static void check_presets_and_names(void)
{
    const jk_device *d = jk_device_find("kindle-pw1");
    check(d && d->width == 758 && d->height == 1024 && d->dpi == 212,
          "jk_device_find(\"kindle-pw1\") is 758x1024 at 212 dpi (%dx%d "
          "at %d)", d ? d->width : -1, d ? d->height : -1,
          d ? d->dpi : -1);
    check(jk_device_find("no-such-reader") == NULL &&
              jk_device_find(NULL) == NULL,
          "jk_device_find of an unknown name or NULL is NULL");
    bool listed = jk_device_count() > 0;
    for (size_t i = 0; listed && i < jk_device_count(); i++) {
        const jk_device *e = jk_device_get(i);
        listed = e && e->name && jk_device_find(e->name) == e;
    }
    check(listed && jk_device_get(jk_device_count()) == NULL,
          "jk_device_get lists %zu devices, each found by name, NULL past "
          "the last", jk_device_count());
    int v = -1;
    jk_status st = jk_value_of(JK_NAMES_WORD_BREAK, "keep-all", &v);
    check(st == JK_OK && v == JK_WORD_BREAK_KEEP_ALL,
          "jk_value_of(JK_NAMES_WORD_BREAK, \"keep-all\") = %d (%s)", v,
          jk_status_string(st));
    v = 12345;
    st = jk_value_of(JK_NAMES_WORD_BREAK, "keep_all", &v);
    check(st == JK_ERR_NOT_FOUND && v == 12345,
          "jk_value_of of an unknown name: JK_ERR_NOT_FOUND, value "
          "untouched (%s)", jk_status_string(st));
    check(jk_name_of(JK_NAMES_ALIGN, 99) == NULL,
          "jk_name_of(JK_NAMES_ALIGN, 99) is NULL");
    const char *rgb = jk_name_of(JK_NAMES_PIXEL_FORMAT, JK_PIXEL_RGB565);
    check(rgb && strcmp(rgb, "rgb565") == 0,
          "jk_name_of(JK_NAMES_PIXEL_FORMAT, JK_PIXEL_RGB565) is \"rgb565\"");
    check(jk_png_depth_for_levels(16) == 4,
          "jk_png_depth_for_levels(16) == 4 (%d)",
          jk_png_depth_for_levels(16));
}

/* The header's pixel formula: page pixel (x, y) of a W x H page to the
 * surface pixel it is stored at. */
static void pixel_formula(int rotation, int W, int H, int x, int y, int *sx,
                          int *sy)
{
    switch (rotation) {
    case 90: *sx = H - 1 - y; *sy = x; break;
    case 180: *sx = W - 1 - x; *sy = H - 1 - y; break;
    case 270: *sx = y; *sy = W - 1 - x; break;
    default: *sx = x; *sy = y; break;
    }
}

static void check_mapping_formula(void)
{
    static const int rotations[] = {0, 90, 180, 270};
    const int W = 1072, H = 1448; /* the page */
    const int px[][2] = {{0, 0}, {W - 1, 0}, {0, H - 1}, {W - 1, H - 1},
                         {10, 20}, {517, 1203}};
    for (size_t r = 0; r < 4; r++) {
        int rot = rotations[r];
        jk_surface sf = {NULL, rot % 180 ? H : W, rot % 180 ? W : H, 0,
                         JK_PIXEL_GRAY8, rot};
        bool ok = true;
        char bad[160] = "";
        for (size_t i = 0; ok && i < sizeof px / sizeof *px; i++) {
            int ex, ey;
            pixel_formula(rot, W, H, px[i][0], px[i][1], &ex, &ey);
            double sx = -1, sy = -1, bx = -1, by = -1;
            jk_status a = jk_page_to_surface(&sf, px[i][0] + 0.5,
                                             px[i][1] + 0.5, &sx, &sy);
            jk_status b = jk_surface_to_page(&sf, sx, sy, &bx, &by);
            ok = a == JK_OK && b == JK_OK && (int)dfloor(sx) == ex &&
                 (int)dfloor(sy) == ey && dabs(sx - (ex + 0.5)) < 1e-9 &&
                 dabs(sy - (ey + 0.5)) < 1e-9 &&
                 dabs(bx - (px[i][0] + 0.5)) < 1e-9 &&
                 dabs(by - (px[i][1] + 0.5)) < 1e-9;
            if (!ok)
                snprintf(bad, sizeof bad,
                         ": page pixel (%d, %d) -> (%g, %g), formula (%d, "
                         "%d), back (%g, %g)", px[i][0], px[i][1], sx, sy, ex,
                         ey, bx, by);
        }
        check(ok, "jk_page_to_surface/jk_surface_to_page at %d deg: pixel "
              "centres follow the header's formula%s", rot, bad);
    }
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: integrator FONT_DIR ARTICLE\n");
        return 2;
    }
    const char *font_dir = argv[1];
    size_t article_size = 0;
    char *article = read_file(argv[2], &article_size);
    if (!article) {
        fprintf(stderr, "integrator: cannot read %s\n", argv[2]);
        return 2;
    }

    check_version();
    check_presets_and_names();
    check_mapping_formula();

    /* A context on the firmware's own allocator. */
    counter mem = {0, 0, 0};
    jk_allocator alloc = {count_malloc, count_realloc, count_free, &mem};
    jk_context *ctx = NULL;
    jk_status st = jk_context_create(&alloc, &ctx);
    if (!check(st == JK_OK && ctx, "jk_context_create with allocator hooks "
               "(%s)", jk_status_string(st)))
        return 1;
    check(mem.total > 0, "the hooks serve the context's allocations (%ld "
          "so far)", mem.total);

    /* Fonts from "flash", the list and roles from the library. */
    size_t nfonts = jk_bundled_font_count();
    /* the bundled set, the garbage one, the refused-while-busy one, and
     * the one added after the document is gone */
    size_t nflash = nfonts + 3;
    flash_font *flash = calloc(nflash, sizeof *flash);
    if (!flash)
        return 1;
    bool loaded = nfonts > 0, added = nfonts > 0;
    char why[256] = "";
    for (size_t i = 0; i < nfonts; i++) {
        const char *file = NULL;
        jk_font_desc desc;
        if (jk_bundled_font(i, &file, &desc) != JK_OK || !file) {
            loaded = false;
            snprintf(why, sizeof why, ": jk_bundled_font(%zu) failed", i);
            break;
        }
        if (!flash_load(&flash[i], font_dir, file)) {
            loaded = false;
            snprintf(why, sizeof why, ": cannot read %s/%s", font_dir, file);
            break;
        }
        st = jk_context_add_font_borrowed(ctx, flash[i].data, flash[i].size,
                                          &desc, flash_release, &flash[i]);
        if (st != JK_OK || !errmsg_clear(ctx)) {
            added = false;
            snprintf(why, sizeof why, ": %s: %s (%s)", file,
                     jk_status_string(st), jk_context_errmsg(ctx));
        }
    }
    const char *past = (const char *)1;
    check(jk_bundled_font(nfonts, &past, NULL) == JK_ERR_RANGE,
          "jk_bundled_font past the last is JK_ERR_RANGE");
    if (!check(loaded && added, "jk_context_add_font_borrowed of the %zu "
               "bundled fonts read into memory%s", nfonts, why))
        return 1;
    check(jk_context_font_count(ctx) == (int)nfonts,
          "jk_context_font_count == %zu (%d)", nfonts,
          jk_context_font_count(ctx));
    int early = 0;
    for (size_t i = 0; i < nfonts; i++)
        early += flash[i].released;
    check(early == 0, "no borrowed font released while the context uses "
          "it (%d released)", early);

    /* A font the context refuses is handed back at once. */
    flash_font *junk = &flash[nfonts];
    snprintf(junk->name, sizeof junk->name, "garbage");
    junk->size = 10;
    junk->data = malloc(junk->size);
    memcpy(junk->data, "not a ttf!", 10);
    jk_font_desc junk_desc = {JK_FONT_SYMBOL, JK_FAMILY_SANS, 0, 0};
    st = jk_context_add_font_borrowed(ctx, junk->data, junk->size,
                                      &junk_desc, flash_release, junk);
    check(st == JK_ERR_FONT && junk->released == 1 && errmsg_set(ctx),
          "10 bytes of garbage: JK_ERR_FONT, released at once (%d times), "
          "message \"%s\" (%s)", junk->released, jk_context_errmsg(ctx),
          jk_status_string(st));
    check(jk_context_font_count(ctx) == (int)nfonts,
          "the refused font is not counted (%d fonts)",
          jk_context_font_count(ctx));

    /* The frozen font set. */
    jk_document *small = NULL;
    const char *hello = "직지 Jikji\n\n한글과 Latin이 섞인 한 문단.\n";
    st = jk_document_create_from_text(ctx, hello, strlen(hello), &small);
    check(st == JK_OK && small && errmsg_clear(ctx),
          "jk_document_create_from_text (%s)", jk_status_string(st));
    flash_font *busy = &flash[nfonts + 1];
    const char *file0 = NULL;
    jk_font_desc desc0;
    jk_bundled_font(0, &file0, &desc0);
    if (flash_load(busy, font_dir, file0)) {
        st = jk_context_add_font_borrowed(ctx, busy->data, busy->size, &desc0,
                                          flash_release, busy);
        check(st == JK_ERR_BUSY && errmsg_set(ctx) && busy->released == 1,
              "jk_context_add_font_borrowed while a document exists: "
              "JK_ERR_BUSY, released at once (%d), \"%s\" (%s)",
              busy->released, jk_context_errmsg(ctx), jk_status_string(st));
    } else {
        check(false, "read %s/%s again", font_dir, file0);
    }
    char path0[4096];
    snprintf(path0, sizeof path0, "%s/%s", font_dir, file0);
    st = jk_context_add_font_file(ctx, path0, &desc0);
    check(st == JK_ERR_BUSY && errmsg_set(ctx),
          "jk_context_add_font_file while a document exists: JK_ERR_BUSY, "
          "\"%s\" (%s)", jk_context_errmsg(ctx), jk_status_string(st));
    check(jk_context_font_count(ctx) == (int)nfonts,
          "the font set did not change while frozen (%d fonts)",
          jk_context_font_count(ctx));
    jk_document_destroy(small);
    flash_font *later = &flash[nfonts + 2];
    const char *filel = NULL;
    jk_font_desc descl;
    jk_bundled_font(nfonts - 1, &filel, &descl);
    if (flash_load(later, font_dir, filel)) {
        st = jk_context_add_font_borrowed(ctx, later->data, later->size,
                                          &descl, flash_release, later);
        check(st == JK_OK && errmsg_clear(ctx) && later->released == 0 &&
                  jk_context_font_count(ctx) == (int)nfonts + 1,
              "after jk_document_destroy, adding a font works again and "
              "clears the message (%s)", jk_status_string(st));
    } else {
        check(false, "read %s/%s again", font_dir, filel);
    }

    /* The article. */
    jk_document *doc = NULL;
    st = jk_document_create_from_text(ctx, article, article_size, &doc);
    if (!check(st == JK_OK && doc && jk_document_block_count(doc) > 0,
               "the article read and shaped: %zu blocks, %zu missing glyphs "
               "(%s)", jk_document_block_count(doc),
               jk_document_missing_glyphs(doc), jk_status_string(st)))
        return 1;

    /* An RGB565 panel mounted at 90 degrees: a Kobo Clara turned. */
    const jk_device *clara = jk_device_find("kobo-clara");
    if (!check(clara != NULL, "jk_device_find(\"kobo-clara\")"))
        return 1;
    const int bpp = 2; /* RGB565: 16 bits a pixel (jikji.h) */
    jk_surface panel = {NULL, clara->height, clara->width, 0,
                        JK_PIXEL_RGB565, 90};
    size_t row = jk_surface_row_bytes(JK_PIXEL_RGB565, panel.width);
    check(row == (size_t)panel.width * bpp,
          "jk_surface_row_bytes(RGB565, %d) == %d bytes (%zu)", panel.width,
          panel.width * bpp, row);
    const int pad = 6; /* the framebuffer's line_length is longer */
    panel.stride = (int)row + pad;
    size_t panel_bytes = (size_t)panel.stride * (size_t)panel.height;
    panel.pixels = calloc(panel_bytes, 1);
    if (!panel.pixels)
        return 1;
    int pw = 0, ph = 0;
    st = jk_surface_page_size(&panel, &pw, &ph);
    check(st == JK_OK && pw == clara->width && ph == clara->height,
          "jk_surface_page_size of a %dx%d surface at 90 deg: a %dx%d page",
          panel.width, panel.height, pw, ph);

    jk_settings st10;
    jk_settings_init(&st10);
    check(st10.struct_size == sizeof st10,
          "jk_settings_init sets struct_size %zu", st10.struct_size);
    jk_settings_set_device(&st10, clara);
    st10.page_width = pw;
    st10.page_height = ph;
    st10.font_size_pt = 10;
    jk_layout *layout = NULL;
    st = jk_layout_create(doc, &st10, &layout);
    if (!check(st == JK_OK && layout && jk_layout_page_count(layout) > 1,
               "jk_layout_create at 10 pt: %zu pages (%s)",
               jk_layout_page_count(layout), jk_status_string(st)))
        return 1;
    size_t pages10 = jk_layout_page_count(layout);
    jk_settings resolved;
    memset(&resolved, 0, sizeof resolved);
    resolved.struct_size = sizeof resolved;
    jk_layout_get_settings(layout, &resolved);

    jk_rect dirty = {-1, -1, -1, -1};
    jk_render_options ro;
    jk_render_options_init(&ro);
    check(ro.struct_size == sizeof ro,
          "jk_render_options_init sets struct_size %zu", ro.struct_size);
    st = jk_layout_render_page_ex(layout, 0, &panel, &ro, &dirty);
    check(st == JK_OK && errmsg_clear(ctx), "render page 0 into the "
          "calloc'ed RGB565 surface (%s)", jk_status_string(st));
    check(dirty.x == 0 && dirty.y == 0 && dirty.width == panel.width &&
              dirty.height == panel.height,
          "first render: dirty is the whole surface (black to white): "
          "%d,%d %dx%d", dirty.x, dirty.y, dirty.width, dirty.height);
    static bool valid565[65536];
    for (int g = 0; g < 256; g++)
        valid565[rgb565_of_gray(g)] = true;
    size_t dark = 0, bad565 = 0, pad_touched = 0;
    for (int y = 0; y < panel.height; y++) {
        const uint8_t *r = panel.pixels + (size_t)y * panel.stride;
        for (int x = 0; x < panel.width; x++) {
            uint16_t v = get16(r, x);
            dark += v != 0xFFFF;
            bad565 += !valid565[v];
        }
        for (int k = 0; k < pad; k++)
            pad_touched += r[row + k] != 0;
    }
    check(dark > 1000 && get16(panel.pixels, 0) == 0xFFFF,
          "RGB565 page: white 0xFFFF margins, %zu pixels of text", dark);
    check(bad565 == 0, "every pixel is a gray per the RGB565 formula (%zu "
          "are not)", bad565);
    check(pad_touched == 0, "the %d padding bytes of each row are never "
          "touched (%zu were)", pad, pad_touched);
    dirty = (jk_rect){-1, -1, -1, -1};
    st = jk_layout_render_page_ex(layout, 0, &panel, &ro, &dirty);
    check(st == JK_OK && rect_empty(dirty) && dirty.width == 0,
          "second render of the same page: empty dirty rectangle (%d,%d "
          "%dx%d)", dirty.x, dirty.y, dirty.width, dirty.height);

    /* The same page upright in GRAY8 is, pixel for pixel, the panel's
     * through the header's formulas (rotation and RGB565 packing). */
    jk_surface upright = {NULL, pw, ph, pw, JK_PIXEL_GRAY8, 0};
    upright.pixels = calloc((size_t)pw * (size_t)ph, 1);
    if (!upright.pixels)
        return 1;
    st = jk_layout_render_page(layout, 0, &upright);
    size_t mismatch = 0;
    int mx = -1, my = -1;
    for (int y = 0; y < ph; y++)
        for (int x = 0; x < pw; x++) {
            int sx, sy;
            pixel_formula(90, pw, ph, x, y, &sx, &sy);
            uint16_t want = rgb565_of_gray(upright.pixels[(size_t)y * pw + x]);
            uint16_t got = get16(panel.pixels + (size_t)sy * panel.stride, sx);
            if (want != got && mismatch++ == 0) {
                mx = x;
                my = y;
            }
        }
    check(st == JK_OK && mismatch == 0,
          "the 90 deg RGB565 page is the upright GRAY8 page turned and "
          "packed (%zu pixels differ, first at page %d,%d)", mismatch, mx,
          my);
    dirty = (jk_rect){-1, -1, -1, -1};
    st = jk_layout_render_page_ex(layout, 1, &panel, &ro, &dirty);
    check(st == JK_OK && !rect_empty(dirty) && dirty.x >= 0 &&
              dirty.y >= 0 && dirty.x + dirty.width <= panel.width &&
              dirty.y + dirty.height <= panel.height,
          "page 1 over page 0: a dirty rectangle inside the surface (%d,%d "
          "%dx%d)", dirty.x, dirty.y, dirty.width, dirty.height);
    jk_layout_render_page(layout, 0, &panel);

    /* Errors like SQLite's. */
    jk_line_info li;
    st = jk_layout_get_line(layout, pages10, 0, &li);
    check(st == JK_ERR_RANGE && errmsg_set(ctx),
          "jk_layout_get_line of page %zu of %zu: JK_ERR_RANGE, \"%s\"",
          pages10, pages10, jk_context_errmsg(ctx));
    st = jk_layout_get_line(layout, 0, 0, &li);
    check(st == JK_OK && errmsg_clear(ctx),
          "the next good jk_layout_get_line clears the message (\"%s\")",
          jk_context_errmsg(ctx));

    /* A tap through the rotation mapping. */
    size_t tap_line = 0, nl0 = jk_layout_line_count(layout, 0);
    for (size_t l = 0; l < nl0; l++) {
        jk_line_info t;
        if (jk_layout_get_line(layout, 0, l, &t) == JK_OK &&
            t.kind == JK_BLOCK_PARAGRAPH && t.width > 100) {
            tap_line = l;
            break;
        }
    }
    jk_layout_get_line(layout, 0, tap_line, &li);
    double x = li.x + 1, y = li.top + li.height / 2;
    double sx = -1, sy = -1, bx = -1, by = -1;
    jk_status a = jk_page_to_surface(&panel, x, y, &sx, &sy);
    check(a == JK_OK && dabs(sx - (ph - y)) < 1e-9 && dabs(sy - x) < 1e-9,
          "page point (%.2f, %.2f) of line %zu is surface point (%.2f, "
          "%.2f) = (H - y, x)", x, y, tap_line, sx, sy);
    jk_status b = jk_surface_to_page(&panel, sx, sy, &bx, &by);
    check(b == JK_OK && dabs(bx - x) < 1e-9 && dabs(by - y) < 1e-9,
          "and back with jk_surface_to_page: (%.2f, %.2f)", bx, by);
    size_t off = (size_t)-7;
    st = jk_layout_hit_test(layout, 0, bx, by, &off);
    check(st == JK_OK && off == li.start,
          "jk_layout_hit_test there: offset %zu == the line's start %zu (%s)",
          off, li.start, jk_status_string(st));
    /* A touch panel reports whole pixels: tap the centre of that pixel. */
    double tx, ty;
    jk_surface_to_page(&panel, dfloor(sx) + 0.5, dfloor(sy) + 0.5, &tx, &ty);
    off = (size_t)-7;
    st = jk_layout_hit_test(layout, 0, tx, ty, &off);
    check(st == JK_OK && off == li.start,
          "a tap at surface pixel (%d, %d) hits offset %zu (%s)",
          (int)dfloor(sx), (int)dfloor(sy), off, jk_status_string(st));

    /* Hit-test misses. */
    const size_t untouched = (size_t)-7;
    off = untouched;
    st = jk_layout_hit_test(layout, 0, -1e9, 1e9, &off);
    check(st == JK_ERR_NOT_FOUND && off == untouched && errmsg_set(ctx),
          "hit test at (-1e9, 1e9): JK_ERR_NOT_FOUND, offset untouched (%s)",
          jk_status_string(st));
    off = untouched;
    st = jk_layout_hit_test(layout, 0, resolved.margin_left / 2.0, y, &off);
    check(st == JK_ERR_NOT_FOUND && off == untouched,
          "hit test in the left margin (%.1f, %.1f): JK_ERR_NOT_FOUND, "
          "offset untouched (%s)", resolved.margin_left / 2.0, y,
          jk_status_string(st));
    off = untouched;
    st = jk_layout_hit_test(layout, 0, NAN, y, &off);
    check(st == JK_ERR_NOT_FOUND && off == untouched,
          "hit test at x = NaN: JK_ERR_NOT_FOUND (%s)", jk_status_string(st));
    double box_right = pw - resolved.margin_right;
    bool short_found = false;
    for (size_t p = 0; p < pages10 && !short_found; p++)
        for (size_t l = 0; l < jk_layout_line_count(layout, p); l++) {
            jk_line_info s;
            if (jk_layout_get_line(layout, p, l, &s) != JK_OK ||
                s.x + s.width > box_right - 40)
                continue;
            short_found = true;
            double px = s.x + s.width + 20, py = s.top + s.height / 2;
            off = untouched;
            st = jk_layout_hit_test(layout, p, px, py, &off);
            check(st == JK_ERR_NOT_FOUND && off == untouched,
                  "hit test past the end of page %zu line %zu (%.1f, %.1f; "
                  "the line ends at %.1f): JK_ERR_NOT_FOUND, offset untouched "
                  "(%s, offset %zu)", p, l, px, py, s.x + s.width,
                  jk_status_string(st), off);
            /* just inside its end is a hit */
            off = untouched;
            st = jk_layout_hit_test(layout, p, s.x + s.width - 1, py, &off);
            check(st == JK_OK && off >= s.start && off <= s.end,
                  "just inside that line's end: offset %zu in [%zu, %zu] "
                  "(%s)", off, s.start, s.end, jk_status_string(st));
            break;
        }
    check(short_found, "a line shorter than the measure to test past its "
          "end");

    /* A font-size change. */
    snapshot at10;
    snapshot_take(layout, &at10);
    jk_settings st16 = st10;
    st16.font_size_pt = 16;
    st = jk_layout_set_settings(layout, &st16);
    size_t pages16 = jk_layout_page_count(layout);
    check(st == JK_OK && pages16 > pages10,
          "jk_layout_set_settings to 16 pt: %zu pages, more than %zu at 10 "
          "pt (%s)", pages16, pages10, jk_status_string(st));
    size_t lp = (size_t)-1, ll = (size_t)-1;
    st = jk_layout_locate(layout, li.start, &lp, &ll);
    jk_line_info found;
    bool place = st == JK_OK &&
                 jk_layout_get_line(layout, lp, ll, &found) == JK_OK &&
                 found.start <= li.start && li.start <= found.end;
    check(place, "jk_layout_locate finds offset %zu again at 16 pt: page "
          "%zu line %zu", li.start, lp, ll);
    st = jk_layout_set_settings(layout, &st10);
    snapshot back10;
    snapshot_take(layout, &back10);
    char what[200];
    check(st == JK_OK && snapshot_same(&at10, &back10, true, what,
                                       sizeof what),
          "back at 10 pt: the same layout as before (%s)", what);
    snapshot_free(&back10);

    /* A failed jk_layout_set_settings keeps the old layout. */
    jk_settings banded = st10;
    banded.page_height = 400;
    banded.font_size_pt = 40;
    banded.header = 1;
    banded.footer = 1;
    st = jk_layout_set_settings(layout, &banded);
    bool msg = errmsg_set(ctx);
    snapshot after;
    snapshot_take(layout, &after);
    check(st != JK_OK && msg && snapshot_same(&at10, &after, true, what,
                                              sizeof what),
          "header and footer bands leaving no room: %s, \"%s\"; the old "
          "layout stays (%s)", jk_status_string(st),
          msg ? "message set" : "no message", what);
    snapshot_free(&after);
    jk_settings wide = st10;
    wide.margin_left = pw / 2;
    wide.margin_right = pw / 2;
    st = jk_layout_set_settings(layout, &wide);
    msg = errmsg_set(ctx);
    snapshot_take(layout, &after);
    check(st == JK_ERR_INVALID_ARGUMENT && msg &&
              snapshot_same(&at10, &after, true, what, sizeof what),
          "margins leaving no room: %s; the old layout stays (%s)",
          jk_status_string(st), what);
    snapshot_free(&after);
    jk_settings shorter = st10;
    shorter.struct_size = sizeof(size_t); /* below the 1.0 layout */
    st = jk_layout_set_settings(layout, &shorter);
    msg = errmsg_set(ctx);
    snapshot_take(layout, &after);
    check(st == JK_ERR_INVALID_ARGUMENT && msg &&
              snapshot_same(&at10, &after, true, what, sizeof what),
          "struct_size below the 1.0 layout: %s; the old layout stays (%s)",
          jk_status_string(st), what);
    snapshot_free(&after);
    dirty = (jk_rect){-1, -1, -1, -1};
    st = jk_layout_render_page_ex(layout, 0, &panel, &ro, &dirty);
    check(st == JK_OK && rect_empty(dirty),
          "after the failed changes page 0 draws as before (dirty %dx%d, "
          "%s)", dirty.width, dirty.height, jk_status_string(st));

    /* Structs that grow: a program built against the 1.0 header. */
    const size_t size_1_0 = offsetof(jk_settings, footer) + sizeof(int);
    unsigned char *old = malloc(size_1_0);
    memcpy(old, &st10, size_1_0);
    memcpy(old, &size_1_0, sizeof size_1_0); /* its struct_size */
    jk_layout *old_layout = NULL;
    st = jk_layout_create(doc, (const jk_settings *)(void *)old,
                          &old_layout);
    snapshot old_snap;
    memset(&old_snap, 0, sizeof old_snap);
    if (st == JK_OK)
        snapshot_take(old_layout, &old_snap);
    check(st == JK_OK && snapshot_same(&at10, &old_snap, false, what,
                                       sizeof what),
          "settings of exactly the 1.0 size (%zu bytes, malloc'ed) give "
          "the same layout as the full struct (%zu bytes) (%s; %s)",
          size_1_0, sizeof(jk_settings), jk_status_string(st), what);
    snapshot_free(&old_snap);
    st = jk_layout_set_settings(old_layout, (const jk_settings *)(void *)old);
    check(st == JK_OK, "jk_layout_set_settings with the 1.0-size struct "
          "(%s)", jk_status_string(st));
    /* get_settings into exactly the 1.0 size: ASan sees any overwrite */
    memset(old, 0, size_1_0);
    get_settings_as(layout, old, size_1_0);
    size_t kept;
    memcpy(&kept, old, sizeof kept);
    check(kept == size_1_0 &&
              memcmp(old + sizeof(size_t),
                     (unsigned char *)&resolved + sizeof(size_t),
                     size_1_0 - sizeof(size_t)) == 0,
          "jk_layout_get_settings into a 1.0-size struct: struct_size %zu, "
          "the fields as in the full struct", kept);
    free(old);
    /* ... and writes no further: a canary after it */
    const size_t canary = 64;
    unsigned char *big = malloc(size_1_0 + canary);
    memset(big, 0xA5, size_1_0 + canary);
    get_settings_as(layout, big, size_1_0);
    size_t spoiled = 0;
    for (size_t i = size_1_0; i < size_1_0 + canary; i++)
        spoiled += big[i] != 0xA5;
    memcpy(&kept, big, sizeof kept);
    check(spoiled == 0 && kept == size_1_0 &&
              memcmp(big + sizeof(size_t),
                     (unsigned char *)&resolved + sizeof(size_t),
                     size_1_0 - sizeof(size_t)) == 0,
          "jk_layout_get_settings into a 1.0-size struct in a larger "
          "buffer writes nothing past byte %zu (%zu canary bytes changed)",
          size_1_0, spoiled);
    free(big);
    jk_layout_destroy(old_layout);

    /* render options: a zeroed struct (struct_size 0) is the defaults */
    size_t gray_bytes = (size_t)pw * (size_t)ph;
    jk_surface g0 = {calloc(gray_bytes, 1), pw, ph, pw, JK_PIXEL_GRAY8, 0};
    jk_surface g1 = {calloc(gray_bytes, 1), pw, ph, pw, JK_PIXEL_GRAY8, 0};
    jk_surface g2 = {calloc(gray_bytes, 1), pw, ph, pw, JK_PIXEL_GRAY8, 0};
    if (!g0.pixels || !g1.pixels || !g2.pixels)
        return 1;
    jk_render_options zero;
    memset(&zero, 0, sizeof zero);
    jk_status s0 = jk_layout_render_page_ex(layout, 0, &g0, NULL, NULL);
    jk_status s1 = jk_layout_render_page_ex(layout, 0, &g1, &zero, NULL);
    jk_status s2 = jk_layout_render_page_ex(layout, 0, &g2, &ro, NULL);
    check(s0 == JK_OK && s1 == JK_OK && s2 == JK_OK &&
              memcmp(g0.pixels, g1.pixels, gray_bytes) == 0 &&
              memcmp(g0.pixels, g2.pixels, gray_bytes) == 0,
          "jk_render_options with struct_size 0 (zeroed) draws as NULL "
          "options and as jk_render_options_init's (%s, %s, %s)",
          jk_status_string(s0), jk_status_string(s1), jk_status_string(s2));
    /* a 1.0-size render options struct, night mode */
    const size_t ro_1_0 = offsetof(jk_render_options, clip) + sizeof(jk_rect);
    unsigned char *ro_old = malloc(ro_1_0);
    jk_render_options night = ro;
    night.invert = 1;
    memcpy(ro_old, &night, ro_1_0);
    memcpy(ro_old, &ro_1_0, sizeof ro_1_0);
    s1 = jk_layout_render_page_ex(layout, 0, &g1,
                                  (const jk_render_options *)(void *)ro_old,
                                  NULL);
    s2 = jk_layout_render_page_ex(layout, 0, &g2, &night, NULL);
    check(s1 == JK_OK && s2 == JK_OK &&
              memcmp(g1.pixels, g2.pixels, gray_bytes) == 0 &&
              memcmp(g1.pixels, g0.pixels, gray_bytes) != 0 &&
              g1.pixels[0] == 0,
          "render options of exactly the 1.0 size (%zu bytes, malloc'ed): "
          "night mode as with the full struct (%s, %s)", ro_1_0,
          jk_status_string(s1), jk_status_string(s2));
    free(ro_old);

    /* A PNG into memory. */
    sink png = {NULL, 0, 0, 0, 0};
    st = jk_surface_write_png(ctx, &g0, 300, sink_write, &png);
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G',
                                               '\r', '\n', 0x1A, '\n'};
    bool header_ok = png.size > 33 && memcmp(png.data, signature, 8) == 0 &&
                     memcmp(png.data + 12, "IHDR", 4) == 0 &&
                     be32(png.data + 16) == (uint32_t)pw &&
                     be32(png.data + 20) == (uint32_t)ph &&
                     png.data[24] == 8 && png.data[25] == 0;
    check(st == JK_OK && header_ok && png_has_chunk(&png, "pHYs") &&
              png_has_chunk(&png, "IEND"),
          "jk_surface_write_png through the callback: %zu bytes, PNG "
          "signature, IHDR %dx%d 8-bit gray, pHYs, IEND (%s)", png.size, pw,
          ph, jk_status_string(st));
    sink png0 = {NULL, 0, 0, 0, 0}, pngz = {NULL, 0, 0, 0, 0};
    jk_png_options pz;
    memset(&pz, 0, sizeof pz);
    s0 = jk_surface_write_png_ex(ctx, &g0, NULL, sink_write, &png0);
    s1 = jk_surface_write_png_ex(ctx, &g0, &pz, sink_write, &pngz);
    check(s0 == JK_OK && s1 == JK_OK && png0.size == pngz.size &&
              memcmp(png0.data, pngz.data, png0.size) == 0,
          "jk_png_options zeroed (struct_size 0) writes what NULL options "
          "do (%zu bytes)", pngz.size);
    free(png0.data);
    free(pngz.data);
    jk_png_options po;
    jk_png_options_init(&po);
    check(po.struct_size == sizeof po,
          "jk_png_options_init sets struct_size %zu", po.struct_size);
    po.title = "\xC3\x28 not UTF-8";
    sink bad = {NULL, 0, 0, 0, 0};
    st = jk_surface_write_png_ex(ctx, &g0, &po, sink_write, &bad);
    check(st == JK_ERR_INVALID_ARGUMENT && errmsg_set(ctx),
          "a PNG title that is not valid UTF-8: JK_ERR_INVALID_ARGUMENT, "
          "\"%s\" (%s)", jk_context_errmsg(ctx), jk_status_string(st));
    free(bad.data);
    po.title = "직지 1쪽";
    sink titled = {NULL, 0, 0, 0, 0};
    st = jk_surface_write_png_ex(ctx, &g0, &po, sink_write, &titled);
    check(st == JK_OK && errmsg_clear(ctx) && png_has_chunk(&titled, "iTXt"),
          "a Korean title goes into an iTXt chunk (%s)",
          jk_status_string(st));
    free(titled.data);
    sink full = {NULL, 0, 0, 2, 0};
    st = jk_surface_write_png(ctx, &g0, 300, sink_write, &full);
    check(st == JK_ERR_IO && errmsg_set(ctx),
          "a write callback that fails stops the PNG with JK_ERR_IO (%s)",
          jk_status_string(st));
    free(full.data);
    /* the panel's own memory, RGB565 turned, as a PNG of the panel */
    sink panel_png = {NULL, 0, 0, 0, 0};
    st = jk_surface_write_png_ex(ctx, &panel, NULL, sink_write, &panel_png);
    check(st == JK_OK && panel_png.size > 24 &&
              be32(panel_png.data + 16) == (uint32_t)panel.width &&
              be32(panel_png.data + 20) == (uint32_t)panel.height,
          "a PNG of the RGB565 panel surface is %dx%d (%s)", panel.width,
          panel.height, jk_status_string(st));
    free(panel_png.data);
    free(png.data);
    free(g0.pixels);
    free(g1.pixels);
    free(g2.pixels);

    /* Everything destroyed: every allocation returned, every font
     * released once. */
    snapshot_free(&at10);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    int before = 0;
    for (size_t i = 0; i < nflash; i++)
        if (i != nfonts && i != nfonts + 1)
            before += flash[i].released;
    check(before == 0, "no font released before jk_context_destroy (%d "
          "were)", before);
    check(mem.live > 0, "the context still holds %ld allocations",
          mem.live);
    jk_context_destroy(ctx);
    bool once = true;
    char which[200] = "";
    for (size_t i = 0; i < nflash; i++)
        if (flash[i].released != 1) {
            once = false;
            snprintf(which, sizeof which, ": %s released %d times",
                     flash[i].name, flash[i].released);
        }
    check(once, "jk_context_destroy releases each of the %zu borrowed fonts "
          "exactly once%s", nfonts + 1, which);
    check(mem.live == 0, "after everything is destroyed no allocation is "
          "live (%ld of %ld)", mem.live, mem.total);

    free(flash);
    free(panel.pixels);
    free(upright.pixels);
    free(article);
    printf("integrator: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
