/* make-figures: the test pictures of tests/figures/ (the readers' test
 * articles show them), drawn procedurally and written with libjpeg and
 * libpng, so they can be remade:
 *
 *     meson compile -C build make-figures
 *     ./build/tests/make-figures tests/figures [tests/fuzz/corpus-image]
 *
 * grok-1.jpg  baseline JPEG, 800x533: a landscape (sky, sun, hills, lake)
 * grok-2.jpg  progressive JPEG stored 800x600 on its side with EXIF
 *             orientation 6: upright it is 600x800, a figure standing on
 *             the ground under the sun, a tree on its right
 * grok-3.png  RGB PNG, 640x400: a bar chart with a line, grid and legend
 * grok-4.png  palette PNG with tRNS, 400x300: shapes on transparency
 *
 * With a second folder it also writes small seeds for fuzz-image (their
 * first byte is fuzz-image's selector, see tests/fuzz-image.c).
 */
#include <math.h>
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct rgb {
    float r, g, b;
} rgb;

typedef struct canvas {
    int w, h;
    rgb *px;
    float *alpha; /* NULL: opaque */
} canvas;

static canvas canvas_new(int w, int h, rgb fill, bool with_alpha)
{
    canvas c = {w, h, malloc(sizeof(rgb) * (size_t)w * (size_t)h), NULL};
    if (!c.px)
        exit(1);
    for (int i = 0; i < w * h; i++)
        c.px[i] = fill;
    if (with_alpha) {
        c.alpha = calloc((size_t)w * (size_t)h, sizeof *c.alpha);
        if (!c.alpha)
            exit(1);
    }
    return c;
}

static void canvas_free(canvas *c)
{
    free(c->px);
    free(c->alpha);
}

static float clamp01(float v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static rgb mix(rgb a, rgb b, float t)
{
    return (rgb){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                 a.b + (b.b - a.b) * t};
}

static void blend(canvas *c, int x, int y, rgb v, float cover)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h || cover <= 0)
        return;
    cover = clamp01(cover);
    size_t i = (size_t)y * (size_t)c->w + (size_t)x;
    if (c->alpha) { /* "over" with straight alpha */
        float a0 = c->alpha[i], a = cover + a0 * (1 - cover);
        if (a > 0)
            c->px[i] = mix(c->px[i], v, cover / a);
        c->alpha[i] = a;
    } else {
        c->px[i] = mix(c->px[i], v, cover);
    }
}

/* Coverage of a pixel by a shape given its signed distance (negative
 * inside), one pixel of smoothing. */
static float cover_of(float d)
{
    return clamp01(0.5f - d);
}

static void disc(canvas *c, float cx, float cy, float r, rgb v)
{
    for (int y = (int)(cy - r - 2); y <= (int)(cy + r + 2); y++)
        for (int x = (int)(cx - r - 2); x <= (int)(cx + r + 2); x++) {
            float d = hypotf(x + 0.5f - cx, y + 0.5f - cy) - r;
            blend(c, x, y, v, cover_of(d));
        }
}

static void box(canvas *c, float x0, float y0, float x1, float y1, rgb v)
{
    for (int y = (int)y0 - 1; y <= (int)y1 + 1; y++)
        for (int x = (int)x0 - 1; x <= (int)x1 + 1; x++) {
            float cx = clamp01(fminf(x + 1.0f, x1) - fmaxf((float)x, x0));
            float cy = clamp01(fminf(y + 1.0f, y1) - fmaxf((float)y, y0));
            blend(c, x, y, v, cx * cy);
        }
}

/* A thick segment with round caps. */
static void stroke(canvas *c, float ax, float ay, float bx, float by,
                   float width, rgb v)
{
    float r = width / 2, dx = bx - ax, dy = by - ay;
    float len2 = dx * dx + dy * dy;
    int x0 = (int)(fminf(ax, bx) - r - 2), x1 = (int)(fmaxf(ax, bx) + r + 2);
    int y0 = (int)(fminf(ay, by) - r - 2), y1 = (int)(fmaxf(ay, by) + r + 2);
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            float px = x + 0.5f - ax, py = y + 0.5f - ay;
            float t = len2 > 0 ? clamp01((px * dx + py * dy) / len2) : 0;
            float d = hypotf(px - t * dx, py - t * dy) - r;
            blend(c, x, y, v, cover_of(d));
        }
}

/* A filled triangle (edges smoothed). */
static void triangle(canvas *c, float ax, float ay, float bx, float by,
                     float cx, float cy, rgb v)
{
    float xs[3] = {ax, bx, cx}, ys[3] = {ay, by, cy};
    float area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    int x0 = (int)fminf(ax, fminf(bx, cx)) - 1;
    int x1 = (int)fmaxf(ax, fmaxf(bx, cx)) + 1;
    int y0 = (int)fminf(ay, fminf(by, cy)) - 1;
    int y1 = (int)fmaxf(ay, fmaxf(by, cy)) + 1;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            float px = x + 0.5f, py = y + 0.5f, d = -1e9f;
            for (int k = 0; k < 3; k++) {
                float ex = xs[(k + 1) % 3] - xs[k],
                      ey = ys[(k + 1) % 3] - ys[k];
                float n = hypotf(ex, ey);
                float s = ((px - xs[k]) * ey - (py - ys[k]) * ex) / n;
                d = fmaxf(d, area > 0 ? s : -s);
            }
            blend(c, x, y, v, cover_of(d));
        }
}

/* A filled polygon (even-odd), 4x4 samples a pixel: shared edges of
 * one shape leave no seams. */
static void polygon(canvas *c, const float *xs, const float *ys, int n, rgb v)
{
    float x0 = xs[0], x1 = xs[0], y0 = ys[0], y1 = ys[0];
    for (int k = 1; k < n; k++) {
        x0 = fminf(x0, xs[k]);
        x1 = fmaxf(x1, xs[k]);
        y0 = fminf(y0, ys[k]);
        y1 = fmaxf(y1, ys[k]);
    }
    for (int y = (int)y0; y <= (int)y1; y++)
        for (int x = (int)x0; x <= (int)x1; x++) {
            int in = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    float px = x + (sx + 0.5f) / 4, py = y + (sy + 0.5f) / 4;
                    bool odd = false;
                    for (int k = 0, j = n - 1; k < n; j = k++)
                        if ((ys[k] > py) != (ys[j] > py) &&
                            px < (xs[j] - xs[k]) * (py - ys[k]) /
                                         (ys[j] - ys[k]) +
                                     xs[k])
                            odd = !odd;
                    in += odd;
                }
            blend(c, x, y, v, in / 16.0f);
        }
}

static uint32_t rng_state = 12345;
static float noise(void) /* -1..1 */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)(rng_state >> 8) / 8388608.0f - 1.0f;
}

static uint8_t to8(float v)
{
    return (uint8_t)lroundf(clamp01(v) * 255);
}

/* ------------------------------------------------------------ scenes */

static const rgb SKY_TOP = {0.22f, 0.42f, 0.78f};
static const rgb SKY_LOW = {0.86f, 0.90f, 0.96f};
static const rgb SUN = {1.0f, 0.93f, 0.62f};

static float hill(float x, float base, float amp, float f1, float f2, float ph)
{
    return base -
           amp * (0.6f * sinf(x * f1 + ph) + 0.4f * sinf(x * f2 + 2 * ph));
}

static canvas landscape(void)
{
    int w = 800, h = 533;
    canvas c = canvas_new(w, h, SKY_LOW, false);
    float horizon = 330;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            rgb v = mix(SKY_TOP, SKY_LOW, clamp01(y / horizon));
            float sd = hypotf(x - 600.0f, y - 110.0f);
            v = mix(v, SUN, 0.55f * expf(-sd / 70.0f));
            c.px[y * w + x] = v;
        }
    disc(&c, 600, 110, 38, SUN);
    static const rgb far = {0.52f, 0.60f, 0.72f}, mid = {0.30f, 0.45f, 0.36f},
                     near = {0.20f, 0.34f, 0.18f};
    for (int x = 0; x < w; x++) {
        float f = hill((float)x, 250, 45, 0.011f, 0.027f, 0.4f);
        float m = hill((float)x, 300, 35, 0.017f, 0.041f, 1.3f);
        for (int y = (int)f; y < horizon; y++) {
            float t = (y - f) / (horizon - f + 1);
            blend(&c, x, y, mix(far, mid, t * 0.4f), 1);
        }
        for (int y = (int)m; y < horizon; y++) {
            float t = (y - m) / (horizon - m + 1);
            blend(&c, x, y, mix(mid, near, t), 1);
        }
    }
    /* the lake mirrors the sky and hills, darker, with ripples */
    for (int y = (int)horizon; y < h; y++)
        for (int x = 0; x < w; x++) {
            int my = 2 * (int)horizon - y - 1;
            float ripple = 3 * sinf(y * 0.35f + x * 0.02f);
            int mx = x + (int)ripple;
            mx = mx < 0 ? 0 : mx >= w ? w - 1 : mx;
            rgb v = my >= 0 ? c.px[my * w + mx] : SKY_TOP;
            rgb deep = {0.10f, 0.22f, 0.32f};
            c.px[y * w + x] =
                mix(v, deep, 0.35f + 0.4f * (y - horizon) / (h - horizon));
        }
    /* a shore and pines on the left */
    box(&c, 0, 318, 260, 336, (rgb){0.42f, 0.36f, 0.24f});
    for (int k = 0; k < 7; k++) {
        float x = 30 + k * 34 + 7 * sinf(k * 2.1f),
              top = 200 + 25 * sinf(k * 1.7f);
        box(&c, x - 3, 290, x + 3, 322, (rgb){0.30f, 0.22f, 0.14f});
        triangle(&c, x, top, x - 24, 300, x + 24, 300,
                 (rgb){0.10f, 0.26f, 0.14f});
    }
    /* a little sensor grain */
    for (int i = 0; i < w * h; i++) {
        float n = 0.012f * noise();
        c.px[i].r += n;
        c.px[i].g += n;
        c.px[i].b += n;
    }
    return c;
}

/* Upright 600x800: sky, sun top left, grass, a figure standing in the
 * middle, a tree on the right. Nothing in it reads the same upside down
 * or sideways. */
static canvas standing_figure(void)
{
    int w = 600, h = 800;
    canvas c = canvas_new(w, h, SKY_LOW, false);
    float ground = 600;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            rgb v;
            if (y < ground)
                v = mix(SKY_TOP, SKY_LOW, y / ground);
            else
                v = mix((rgb){0.36f, 0.58f, 0.26f}, (rgb){0.20f, 0.38f, 0.14f},
                        (y - ground) / (h - ground));
            c.px[y * w + x] = v;
        }
    disc(&c, 110, 110, 55, SUN);
    for (int k = 0; k < 12; k++) {
        float a = k * 0.5236f;
        stroke(&c, 110 + 70 * cosf(a), 110 + 70 * sinf(a), 110 + 95 * cosf(a),
               110 + 95 * sinf(a), 6, SUN);
    }
    /* tree: trunk and crown, on the ground at the right */
    box(&c, 470, 430, 500, 610, (rgb){0.36f, 0.24f, 0.14f});
    disc(&c, 485, 390, 75, (rgb){0.16f, 0.40f, 0.16f});
    disc(&c, 450, 430, 45, (rgb){0.18f, 0.44f, 0.18f});
    /* the figure: head, body, arms raised a little, legs apart, shadow */
    rgb skin = {0.93f, 0.76f, 0.62f}, shirt = {0.80f, 0.15f, 0.15f},
        trousers = {0.15f, 0.20f, 0.45f}, dark = {0.10f, 0.10f, 0.12f};
    for (int y = 612; y < 632; y++)
        for (int x = 200; x < 400; x++) {
            float d = hypotf((x - 300) / 100.0f, (y - 622) / 10.0f);
            blend(&c, x, y, (rgb){0.12f, 0.24f, 0.10f}, 0.5f * clamp01(1 - d));
        }
    stroke(&c, 280, 440, 255, 610, 30, trousers);
    stroke(&c, 320, 440, 345, 610, 30, trousers);
    box(&c, 225, 600, 270, 622, dark);
    box(&c, 330, 600, 375, 622, dark);
    box(&c, 255, 290, 345, 460, shirt);
    stroke(&c, 262, 300, 200, 230, 24, shirt);
    stroke(&c, 338, 300, 400, 380, 24, shirt);
    disc(&c, 196, 222, 16, skin);
    disc(&c, 404, 388, 16, skin);
    stroke(&c, 300, 250, 300, 292, 26, skin);
    disc(&c, 300, 210, 50, skin);
    /* hair on top, eyes and a smile below them: a face that is upright */
    for (int y = 150; y < 200; y++)
        for (int x = 240; x < 360; x++) {
            float d = hypotf(x + 0.5f - 300, y + 0.5f - 210) - 52;
            if (y < 192)
                blend(&c, x, y, (rgb){0.25f, 0.15f, 0.08f}, cover_of(d));
        }
    disc(&c, 282, 212, 6, dark);
    disc(&c, 318, 212, 6, dark);
    for (int k = 0; k < 9; k++) {
        float a = 0.35f + k * 0.3f;
        float a2 = a + 0.3f;
        if (a2 > 2.8f)
            break;
        stroke(&c, 300 + 22 * cosf(a), 232 + 14 * sinf(a), 300 + 22 * cosf(a2),
               232 + 14 * sinf(a2), 4, dark);
    }
    /* grass tufts */
    for (int k = 0; k < 40; k++) {
        float x = 15 + k * 15 + 5 * sinf(k * 3.3f),
              y = 650 + 60 * (0.5f + 0.5f * sinf(k * 1.9f));
        stroke(&c, x, y, x - 4, y - 14, 3, (rgb){0.14f, 0.34f, 0.10f});
        stroke(&c, x, y, x + 5, y - 12, 3, (rgb){0.14f, 0.34f, 0.10f});
    }
    return c;
}

static canvas chart(void)
{
    int w = 640, h = 400;
    rgb white = {1, 1, 1}, grid = {0.88f, 0.88f, 0.88f},
        axis = {0.2f, 0.2f, 0.2f};
    canvas c = canvas_new(w, h, white, false);
    float left = 60, right = 600, top = 40, bottom = 350;
    for (int k = 0; k <= 5; k++) {
        float y = bottom - k * (bottom - top) / 5;
        box(&c, left, y - 0.5f, right, y + 0.5f, grid);
        box(&c, left - 8, y - 1, left, y + 1, axis); /* ticks */
    }
    static const float values[8] = {0.42f, 0.65f, 0.31f, 0.88f,
                                    0.56f, 0.73f, 0.24f, 0.95f};
    static const rgb colours[2] = {{0.20f, 0.45f, 0.75f},
                                   {0.90f, 0.55f, 0.15f}};
    float slot = (right - left) / 8;
    for (int k = 0; k < 8; k++) {
        float x = left + k * slot;
        float v = values[k] * (bottom - top);
        box(&c, x + 10, bottom - v, x + slot / 2, bottom, colours[0]);
        float v2 = (1 - values[7 - k]) * 0.8f * (bottom - top);
        box(&c, x + slot / 2, bottom - v2, x + slot - 10, bottom, colours[1]);
    }
    float px = 0, py = 0;
    for (int k = 0; k < 8; k++) {
        float x = left + (k + 0.5f) * slot;
        float y = bottom - (0.3f + 0.6f * sinf(k * 0.7f + 0.3f) *
                                       sinf(k * 0.7f + 0.3f)) *
                               (bottom - top);
        if (k)
            stroke(&c, px, py, x, y, 4, (rgb){0.15f, 0.55f, 0.25f});
        disc(&c, x, y, 6, (rgb){0.15f, 0.55f, 0.25f});
        disc(&c, x, y, 3, white);
        px = x;
        py = y;
    }
    box(&c, left - 1.5f, top, left + 1.5f, bottom, axis);
    box(&c, left, bottom - 1.5f, right, bottom + 1.5f, axis);
    /* legend */
    box(&c, 430, 14, 446, 30, colours[0]);
    box(&c, 490, 14, 506, 30, colours[1]);
    stroke(&c, 548, 22, 572, 22, 4, (rgb){0.15f, 0.55f, 0.25f});
    return c;
}

static canvas shapes(void)
{
    int w = 400, h = 300;
    canvas c = canvas_new(w, h, (rgb){0, 0, 0}, true);
    rgb red = {0.85f, 0.15f, 0.15f}, blue = {0.15f, 0.30f, 0.80f},
        gold = {0.95f, 0.75f, 0.10f}, ink = {0.1f, 0.1f, 0.1f};
    disc(&c, 110, 150, 80, blue);
    /* a five-pointed star from triangles */
    float cx = 270, cy = 145, xs[10], ys[10];
    for (int k = 0; k < 10; k++) {
        float a = -1.5708f + k * 0.6283f, r = k % 2 ? 38 : 95;
        xs[k] = cx + r * cosf(a);
        ys[k] = cy + r * sinf(a);
    }
    polygon(&c, xs, ys, 10, gold);
    box(&c, 40, 250, 360, 275, red);
    stroke(&c, 60, 40, 340, 40, 8, ink);
    return c;
}

/* ------------------------------------------------------------ writers */

static int write_jpeg(const char *path, const canvas *c, bool progressive,
                      int orientation, int quality)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 1;
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr err;
    ci.err = jpeg_std_error(&err);
    jpeg_create_compress(&ci);
    jpeg_stdio_dest(&ci, fp);
    ci.image_width = (JDIMENSION)c->w;
    ci.image_height = (JDIMENSION)c->h;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    if (progressive)
        jpeg_simple_progression(&ci);
    ci.optimize_coding = TRUE;
    jpeg_start_compress(&ci, TRUE);
    if (orientation) {
        /* Exif, big-endian TIFF, IFD0 with one entry: Orientation */
        uint8_t exif[] = {'E',  'x',
                          'i',  'f',
                          0,    0,
                          'M',  'M',
                          0,    42,
                          0,    0,
                          0,    8,
                          0,    1,
                          0x01, 0x12,
                          0,    3,
                          0,    0,
                          0,    1,
                          0,    (uint8_t)orientation,
                          0,    0,
                          0,    0,
                          0,    0};
        jpeg_write_marker(&ci, JPEG_APP0 + 1, exif, sizeof exif);
    }
    uint8_t *row = malloc((size_t)c->w * 3);
    while (ci.next_scanline < ci.image_height) {
        const rgb *p = c->px + (size_t)ci.next_scanline * (size_t)c->w;
        for (int x = 0; x < c->w; x++) {
            row[3 * x] = to8(p[x].r);
            row[3 * x + 1] = to8(p[x].g);
            row[3 * x + 2] = to8(p[x].b);
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&ci, &r, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    free(row);
    return fclose(fp) != 0;
}

static int write_png_rgb(const char *path, const canvas *c)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 1;
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fclose(fp);
        return 1;
    }
    png_init_io(png, fp);
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    uint8_t *row = malloc((size_t)c->w * 3);
    for (int y = 0; y < c->h; y++) {
        const rgb *p = c->px + (size_t)y * (size_t)c->w;
        for (int x = 0; x < c->w; x++) {
            row[3 * x] = to8(p[x].r);
            row[3 * x + 1] = to8(p[x].g);
            row[3 * x + 2] = to8(p[x].b);
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(fp) != 0;
}

static int write_png_indexed(const char *path, int w, int h,
                             const png_color *pal, int count,
                             const png_byte *trns, int ntrns,
                             const uint8_t *idx)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 1;
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fclose(fp);
        return 1;
    }
    png_init_io(png, fp);
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, pal, count);
    if (ntrns)
        png_set_tRNS(png, info, trns, ntrns, NULL);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, idx + (size_t)y * (size_t)w);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return fclose(fp) != 0;
}

/* Colours quantized to 8 levels a channel and alpha to 4: a palette of
 * what occurs, translucent entries first (tRNS covers a prefix). */
static int write_png_palette(const char *path, const canvas *c)
{
    int n = c->w * c->h;
    uint16_t *key = malloc(sizeof *key * (size_t)n);
    for (int i = 0; i < n; i++) {
        int a = (int)lroundf(clamp01(c->alpha[i]) * 3);
        int r = a ? (int)lroundf(clamp01(c->px[i].r) * 7) : 0;
        int g = a ? (int)lroundf(clamp01(c->px[i].g) * 7) : 0;
        int b = a ? (int)lroundf(clamp01(c->px[i].b) * 7) : 0;
        key[i] = (uint16_t)(a << 9 | r << 6 | g << 3 | b);
    }
    static int slot[2048];
    memset(slot, -1, sizeof slot);
    png_color pal[256];
    png_byte trns[256];
    int count = 0;
    for (int pass = 0; pass < 2; pass++) /* translucent, then opaque */
        for (int i = 0; i < n; i++) {
            int k = key[i], a = k >> 9;
            if ((pass == 0) != (a < 3) || slot[k] >= 0)
                continue;
            if (count == 256)
                return 1;
            slot[k] = count;
            pal[count].red = (png_byte)((k >> 6 & 7) * 255 / 7);
            pal[count].green = (png_byte)((k >> 3 & 7) * 255 / 7);
            pal[count].blue = (png_byte)((k & 7) * 255 / 7);
            trns[count] = (png_byte)(a * 85);
            count++;
        }
    int ntrns = 0;
    while (ntrns < count && trns[ntrns] < 255)
        ntrns++;
    uint8_t *idx = malloc((size_t)n);
    for (int i = 0; i < n; i++)
        idx[i] = (uint8_t)slot[key[i]];
    int bad =
        write_png_indexed(path, c->w, c->h, pal, count, trns, ntrns, idx);
    free(idx);
    free(key);
    return bad;
}

/* The upright picture stored on its side for orientation 6: display
 * (X, Y) shows stored (x = Y, y = H - 1 - X). */
static canvas sideways(const canvas *up)
{
    int sw = up->h, sh = up->w;
    canvas s = canvas_new(sw, sh, (rgb){0, 0, 0}, false);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            int X = sh - 1 - y, Y = x;
            s.px[y * sw + x] = up->px[Y * up->w + X];
        }
    return s;
}

/* ------------------------------------------------------------ seeds */

static void put_seed(const char *dir, const char *name, uint8_t mode,
                     const uint8_t *data, size_t n, size_t skip)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return;
    fputc(mode, fp);
    fwrite(data + skip, 1, n - skip, fp);
    fclose(fp);
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)len);
    *n = fread(b, 1, (size_t)len, fp);
    fclose(fp);
    return b;
}

static int seeds(const char *dir)
{
    char tmp[4096];
    size_t n;
    uint8_t *b;
    /* small crops of the scenes, written to a scratch file and read back */
    snprintf(tmp, sizeof tmp, "%s/.seed-tmp", dir);
    canvas land = landscape(), fig = standing_figure(), ch = chart(),
           sh = shapes();
    canvas small = canvas_new(24, 16, (rgb){0, 0, 0}, false);
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 24; x++)
            small.px[y * 24 + x] =
                land.px[(200 + y * 8) * land.w + 300 + x * 8];
    if (write_jpeg(tmp, &small, false, 0, 80))
        return 1;
    b = slurp(tmp, &n);
    put_seed(dir, "seed-jpeg-baseline", 0, b, n, 0);
    put_seed(dir, "seed-jpeg-soi", 2, b, n, 3); /* fuzz-image adds FF D8 FF */
    free(b);
    canvas up = canvas_new(12, 20, (rgb){0, 0, 0}, false);
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 12; x++)
            up.px[y * 12 + x] = fig.px[(y * 40) * fig.w + x * 50];
    canvas side = sideways(&up);
    if (write_jpeg(tmp, &side, true, 6, 80))
        return 1;
    b = slurp(tmp, &n);
    put_seed(dir, "seed-jpeg-progressive-exif6", 0, b, n, 0);
    free(b);
    canvas cs = canvas_new(20, 12, (rgb){0, 0, 0}, false);
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 20; x++)
            cs.px[y * 20 + x] = ch.px[(y * 33) * ch.w + x * 32];
    if (write_png_rgb(tmp, &cs))
        return 1;
    b = slurp(tmp, &n);
    put_seed(dir, "seed-png-rgb", 0, b, n, 0);
    put_seed(dir, "seed-png-nosig", 1, b, n, 8); /* fuzz-image adds it */
    free(b);
    canvas ps = canvas_new(16, 12, (rgb){0, 0, 0}, true);
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 16; x++) {
            size_t i = (size_t)(y * 25) * (size_t)sh.w + (size_t)(x * 25);
            ps.px[y * 16 + x] = sh.px[i];
            ps.alpha[y * 16 + x] = sh.alpha[i];
        }
    if (write_png_palette(tmp, &ps))
        return 1;
    b = slurp(tmp, &n);
    put_seed(dir, "seed-png-palette-trns", 0, b, n, 0);
    free(b);
    uint8_t gray[1 + 10 * 6];
    gray[0] = 9; /* width 10 */
    for (int i = 0; i < 60; i++)
        gray[1 + i] = (uint8_t)(i * 4);
    put_seed(dir, "seed-gray-pixels", 3, gray, sizeof gray, 0);
    remove(tmp);
    canvas all[] = {land, fig, ch, sh, small, up, side, cs, ps};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        canvas_free(&all[i]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FIGURE_DIR [SEED_DIR]\n", argv[0]);
        return 2;
    }
    char path[4096];
    int bad = 0;
    canvas land = landscape();
    snprintf(path, sizeof path, "%s/grok-1.jpg", argv[1]);
    bad |= write_jpeg(path, &land, false, 0, 72);
    canvas up = standing_figure(), side = sideways(&up);
    snprintf(path, sizeof path, "%s/grok-2.jpg", argv[1]);
    bad |= write_jpeg(path, &side, true, 6, 72);
    canvas ch = chart();
    snprintf(path, sizeof path, "%s/grok-3.png", argv[1]);
    bad |= write_png_rgb(path, &ch);
    canvas sh = shapes();
    snprintf(path, sizeof path, "%s/grok-4.png", argv[1]);
    bad |= write_png_palette(path, &sh);
    if (argc > 2)
        bad |= seeds(argv[2]);
    canvas all[] = {land, up, side, ch, sh};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        canvas_free(&all[i]);
    if (bad)
        fprintf(stderr, "%s: cannot write the pictures\n", argv[0]);
    return bad;
}
