/* `jikji fb` into a file standing for a framebuffer: the file's bytes are
 * the library's surface bytes for every bpp, stride and rotation, and the
 * printed dirty rectangle is the library's.
 * Usage: test-fb JIKJI FONT_DIR ARTICLE */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static const char *cli, *font_dir, *article_path;
static char *article;
static size_t article_size;

/* Run the CLI; stdout's first line into `out`; returns the exit status. */
static int run(const char *args, char *out, size_t size)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' fb '%s' --fonts '%s' %s 2>/dev/null",
             cli, article_path, font_dir, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    out[0] = '\0';
    if (!fgets(out, (int)size, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static jk_pixel_format format_of(int bpp)
{
    return bpp == 1    ? JK_PIXEL_MONO1
           : bpp == 4  ? JK_PIXEL_GRAY4
           : bpp == 8  ? JK_PIXEL_GRAY8
           : bpp == 16 ? JK_PIXEL_RGB565
                       : JK_PIXEL_XRGB8888;
}

static void dirty_text(jk_rect d, char *buf, size_t size)
{
    if (d.width > 0)
        snprintf(buf, size, "dirty %d %d %d %d", d.x, d.y, d.width,
                 d.height);
    else
        snprintf(buf, size, "dirty none");
}

/* One framebuffer configuration: pages 2, 2 again, then 3 (if `sequence`). */
static void check_fb(jk_document *doc, int w, int h, int bpp,
                     int stride, int rotation, bool sequence)
{
    jk_pixel_format fmt = format_of(bpp);
    size_t row = jk_surface_row_bytes(fmt, w);
    int st_ = stride ? stride : (int)row;
    size_t bytes = (size_t)st_ * (size_t)h;
    char path[] = "/tmp/jikji-fb-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);

    jk_settings s;
    jk_settings_init(&s);
    bool turned = rotation == 90 || rotation == 270;
    s.page_width = turned ? h : w;
    s.page_height = turned ? w : h;
    jk_layout *layout = NULL;
    CHECK(jk_layout_create(doc, &s, &layout) == JK_OK);
    uint8_t *px = calloc(1, bytes);
    jk_surface sf = {px, w, h, st_, fmt, rotation};

    char args[1024], out[256], want[256];
    int n = snprintf(args, sizeof args,
                     "--fb '%s' --fb-geometry %dx%d --fb-bpp %d", path, w, h,
                     bpp);
    if (stride)
        n += snprintf(args + n, sizeof args - (size_t)n, " --fb-stride %d",
                      stride);
    if (rotation)
        n += snprintf(args + n, sizeof args - (size_t)n, " --fb-rotate %d",
                      rotation);
    static const int pages[3] = {2, 2, 3};
    for (int k = 0; k < (sequence ? 3 : 1); k++) {
        char a[1100];
        snprintf(a, sizeof a, "%s --page %d", args, pages[k]);
        int rc = run(a, out, sizeof out);
        CHECKF(rc == 0, "bpp %d rotation %d: exit %d", bpp, rotation, rc);
        jk_rect d;
        CHECK(jk_layout_render_page_ex(layout, (size_t)pages[k] - 1, &sf,
                                       NULL, &d) == JK_OK);
        dirty_text(d, want, sizeof want);
        CHECKF(strcmp(out, want) == 0, "bpp %d rot %d page %d: '%s' want '%s'",
               bpp, rotation, pages[k], out, want);
        size_t got_size = 0;
        char *got = tu_read_file(path, &got_size);
        CHECKF(got && got_size == bytes && memcmp(got, px, bytes) == 0,
               "bpp %d rotation %d stride %d: file differs", bpp, rotation,
               st_);
        free(got);
    }
    CHECK(sequence || strncmp(want, "dirty 0 0 ", 10) == 0);
    free(px);
    jk_layout_destroy(layout);
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test-fb JIKJI FONT_DIR ARTICLE\n");
        return 2;
    }
    cli = argv[1];
    font_dir = argv[2];
    article_path = argv[3];
    article = tu_read_file(article_path, &article_size);
    CHECK(article != NULL);
    jk_context *ctx = tu_context(font_dir);
    jk_document *doc = NULL;
    CHECK(ctx && jk_document_create_from_text(ctx, article, article_size,
                                              &doc) == JK_OK);
    if (!doc)
        return tu_finish("fb");
    check_fb(doc, 600, 800, 1, 0, 0, false);
    check_fb(doc, 600, 800, 4, 0, 0, false);
    check_fb(doc, 600, 800, 8, 0, 0, true);
    check_fb(doc, 800, 600, 16, 1664, 90, true);
    check_fb(doc, 600, 800, 32, 0, 180, false);
    check_fb(doc, 603, 800, 4, 0, 270, false);

    /* Usage errors. */
    char out[256];
    CHECK(run("", out, sizeof out) == 2); /* no --fb */
    CHECK(run("--fb /dev/null", out, sizeof out) == 2); /* no geometry */
    CHECK(run("--fb /tmp/x --fb-geometry 10x10 --fb-bpp 12", out,
              sizeof out) == 2);
    CHECK(run("--fb /tmp/x --fb-geometry 10x10 --fb-bpp 8 --fb-rotate 45",
              out, sizeof out) == 2);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(article);
    return tu_finish("fb");
}
