/* Surfaces: pixel formats, rotation, and storing page rows into the
 * caller's pixels with a record of what changed. */
#include <string.h>

#include "memory.h"
#include "resource_limits.h"
#include "surface.h"

size_t jk_surface_row_bytes(jk_pixel_format format, int width)
{
    if (width <= 0)
        return 0;
    size_t w = (size_t)width;
    switch (format) {
    case JK_PIXEL_GRAY8: return w;
    case JK_PIXEL_GRAY4: return (w + 1) / 2;
    case JK_PIXEL_MONO1: return (w + 7) / 8;
    case JK_PIXEL_RGB565: return w * 2;
    case JK_PIXEL_XRGB8888:
    case JK_PIXEL_BGRA8888: return w * 4;
    default: return 0;
    }
}

jk_status jk__check_surface(jk_context *ctx, const jk_surface *sf)
{
    if (!sf || !sf->pixels || sf->width <= 0 || sf->height <= 0 ||
        sf->width > JK__MAX_PAGE_SIDE || sf->height > JK__MAX_PAGE_SIDE)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "bad surface");
    size_t row = jk_surface_row_bytes(sf->format, sf->width);
    if (!row)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "unsupported pixel format %d", (int)sf->format);
    if (sf->stride < 0 || (size_t)sf->stride < row)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "stride %d smaller than the row (%zu bytes)",
                        sf->stride, row);
    if (sf->rotation != 0 && sf->rotation != 90 && sf->rotation != 180 &&
        sf->rotation != 270)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "rotation %d is not 0, 90, 180 or 270",
                        sf->rotation);
    return JK_OK;
}

void jk__surface_page_size(const jk_surface *sf, int *w, int *h)
{
    bool turned = sf->rotation == 90 || sf->rotation == 270;
    *w = turned ? sf->height : sf->width;
    *h = turned ? sf->width : sf->height;
}

jk_status jk_surface_page_size(const jk_surface *sf, int *width,
                               int *height)
{
    if (!sf || !width || !height ||
        (sf->rotation != 0 && sf->rotation != 90 && sf->rotation != 180 &&
         sf->rotation != 270))
        return JK_ERR_INVALID_ARGUMENT;
    jk__surface_page_size(sf, width, height);
    return JK_OK;
}

/* Continuous coordinates: page pixel (x, y) covers [x, x + 1) x [y, y + 1),
 * so its centre maps to the centre of the surface pixel jikji.h names. */
jk_status jk_page_to_surface(const jk_surface *sf, double x, double y,
                             double *sx, double *sy)
{
    int w, h;
    if (!sx || !sy || jk_surface_page_size(sf, &w, &h) != JK_OK)
        return JK_ERR_INVALID_ARGUMENT;
    switch (sf->rotation) {
    case 90: *sx = h - y; *sy = x; break;
    case 180: *sx = w - x; *sy = h - y; break;
    case 270: *sx = y; *sy = w - x; break;
    default: *sx = x; *sy = y; break;
    }
    return JK_OK;
}

jk_status jk_surface_to_page(const jk_surface *sf, double sx, double sy,
                             double *x, double *y)
{
    int w, h;
    if (!x || !y || jk_surface_page_size(sf, &w, &h) != JK_OK)
        return JK_ERR_INVALID_ARGUMENT;
    switch (sf->rotation) {
    case 90: *x = sy; *y = h - sx; break;
    case 180: *x = w - sx; *y = h - sy; break;
    case 270: *x = w - sy; *y = sx; break;
    default: *x = sx; *y = sy; break;
    }
    return JK_OK;
}

jk_rect jk__rect_to_surface(const jk_surface *sf, jk_rect r)
{
    int pw, ph;
    jk__surface_page_size(sf, &pw, &ph);
    jk_rect o = r;
    switch (sf->rotation) {
    case 90: o = (jk_rect){ph - r.y - r.height, r.x, r.height, r.width}; break;
    case 180: o = (jk_rect){pw - r.x - r.width, ph - r.y - r.height, r.width,
                            r.height}; break;
    case 270: o = (jk_rect){r.y, pw - r.x - r.width, r.height, r.width}; break;
    default: break;
    }
    return o;
}

jk_rect jk__rect_to_page(const jk_surface *sf, jk_rect r)
{
    int pw, ph;
    jk__surface_page_size(sf, &pw, &ph);
    jk_rect o = r;
    switch (sf->rotation) {
    case 90: o = (jk_rect){r.y, ph - r.x - r.width, r.height, r.width}; break;
    case 180: o = (jk_rect){pw - r.x - r.width, ph - r.y - r.height, r.width,
                            r.height}; break;
    case 270: o = (jk_rect){pw - r.y - r.height, r.x, r.height, r.width}; break;
    default: break;
    }
    return o;
}

/* ------------------------------------------------------------ packing */

static inline unsigned gray4(unsigned v) { return (v * 15 + 127) / 255; }
static inline unsigned gray5(unsigned v) { return (v * 31 + 127) / 255; }
static inline unsigned gray6(unsigned v) { return (v * 63 + 127) / 255; }

static inline uint16_t rgb565(unsigned v)
{
    unsigned r = gray5(v), g = gray6(v);
    return (uint16_t)(r << 11 | g << 5 | r);
}

int jk_surface_get_gray(const jk_surface *sf, int x, int y)
{
    if (jk__check_surface(NULL, sf) != JK_OK || x < 0 || y < 0 ||
        x >= sf->width || y >= sf->height)
        return -1;
    const uint8_t *row = sf->pixels + (size_t)y * (size_t)sf->stride;
    switch (sf->format) {
    case JK_PIXEL_GRAY8: return row[x];
    case JK_PIXEL_GRAY4:
        return ((x & 1 ? row[x / 2] : row[x / 2] >> 4) & 15) * 17;
    case JK_PIXEL_MONO1: return row[x / 8] & (0x80 >> (x & 7)) ? 255 : 0;
    case JK_PIXEL_RGB565: {
        unsigned g = (row[2 * x] | row[2 * x + 1] << 8) >> 5 & 63;
        return (int)((g * 255 + 31) / 63);
    }
    case JK_PIXEL_XRGB8888: return row[4 * x + 1];
    case JK_PIXEL_BGRA8888: return row[4 * x + 2];
    default: return -1;
    }
}

/* Store gray v at surface pixel (x, y); true if the stored bytes changed. */
static inline bool put_pixel(const jk_surface *sf, int x, int y, unsigned v)
{
    uint8_t *row = sf->pixels + (size_t)y * (size_t)sf->stride;
    switch (sf->format) {
    case JK_PIXEL_GRAY8:
        if (row[x] == v)
            return false;
        row[x] = (uint8_t)v;
        return true;
    case JK_PIXEL_GRAY4: {
        uint8_t *p = row + x / 2;
        unsigned n = gray4(v), old = *p;
        unsigned nb = x & 1 ? (old & 0xF0) | n : (old & 0x0F) | n << 4;
        if (nb == old)
            return false;
        *p = (uint8_t)nb;
        return true;
    }
    case JK_PIXEL_MONO1: {
        uint8_t *p = row + x / 8;
        unsigned bit = 0x80u >> (x & 7), old = *p;
        unsigned nb = v >= 128 ? old | bit : old & ~bit;
        if (nb == old)
            return false;
        *p = (uint8_t)nb;
        return true;
    }
    case JK_PIXEL_RGB565: {
        uint8_t *p = row + 2 * (size_t)x;
        uint16_t w = rgb565(v);
        if (p[0] == (w & 0xFF) && p[1] == w >> 8)
            return false;
        p[0] = (uint8_t)(w & 0xFF);
        p[1] = (uint8_t)(w >> 8);
        return true;
    }
    case JK_PIXEL_XRGB8888:
    case JK_PIXEL_BGRA8888: {
        uint8_t *p = row + 4 * (size_t)x;
        uint8_t b[4] = {(uint8_t)v, (uint8_t)v, (uint8_t)v, 0xFF};
        if (sf->format == JK_PIXEL_BGRA8888)
            b[0] = 0xFF, b[3] = (uint8_t)v;
        if (memcmp(p, b, 4) == 0)
            return false;
        memcpy(p, b, 4);
        return true;
    }
    default: return false;
    }
}

/* Pack n gray values into bytes for a byte-aligned format. */
static void pack_bytes(jk_pixel_format fmt, const uint8_t *gray, int n,
                       bool reverse, uint8_t *out)
{
    for (int i = 0; i < n; i++) {
        unsigned v = gray[reverse ? n - 1 - i : i];
        switch (fmt) {
        case JK_PIXEL_GRAY8: out[i] = (uint8_t)v; break;
        case JK_PIXEL_RGB565: {
            uint16_t w = rgb565(v);
            out[2 * i] = (uint8_t)(w & 0xFF);
            out[2 * i + 1] = (uint8_t)(w >> 8);
            break;
        }
        case JK_PIXEL_XRGB8888:
            out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = (uint8_t)v;
            out[4 * i + 3] = 0xFF;
            break;
        default: /* BGRA8888 */
            out[4 * i] = 0xFF;
            out[4 * i + 1] = out[4 * i + 2] = out[4 * i + 3] = (uint8_t)v;
            break;
        }
    }
}

/* Copy `n` bytes of src over dst; report the first and last differing
 * byte, or return false when they are equal. */
static bool copy_diff(uint8_t *dst, const uint8_t *src, size_t n,
                      size_t *first, size_t *last)
{
    if (memcmp(dst, src, n) == 0)
        return false;
    size_t a = 0, b = n - 1;
    while (dst[a] == src[a])
        a++;
    while (dst[b] == src[b])
        b--;
    memcpy(dst + a, src + a, b - a + 1);
    *first = a;
    *last = b;
    return true;
}

bool jk__surface_put_row(const jk_surface *sf, int y, int x0, int x1,
                         const uint8_t *gray, uint8_t *tmp, int *dx0,
                         int *dx1)
{
    int pw, ph;
    jk__surface_page_size(sf, &pw, &ph);
    int n = x1 - x0;
    bool changed = false;
    int lo = x1, hi = x0 - 1; /* changed page x range */
    if ((sf->rotation == 0 || sf->rotation == 180) &&
        sf->format != JK_PIXEL_GRAY4 && sf->format != JK_PIXEL_MONO1) {
        bool rev = sf->rotation == 180;
        int sy = rev ? ph - 1 - y : y;
        int sx0 = rev ? pw - x1 : x0;
        size_t bpp = jk_surface_row_bytes(sf->format, 1);
        uint8_t *dst = sf->pixels + (size_t)sy * (size_t)sf->stride +
                       (size_t)sx0 * bpp;
        const uint8_t *src = gray;
        if (sf->format != JK_PIXEL_GRAY8 || rev) {
            pack_bytes(sf->format, gray, n, rev, tmp);
            src = tmp;
        }
        size_t a, b;
        if (copy_diff(dst, src, (size_t)n * bpp, &a, &b)) {
            int s0 = sx0 + (int)(a / bpp), s1 = sx0 + (int)(b / bpp);
            lo = rev ? pw - 1 - s1 : s0;
            hi = rev ? pw - 1 - s0 : s1;
            changed = true;
        }
    } else {
        for (int x = x0; x < x1; x++) {
            int sx, sy;
            switch (sf->rotation) {
            case 90: sx = ph - 1 - y, sy = x; break;
            case 180: sx = pw - 1 - x, sy = ph - 1 - y; break;
            case 270: sx = y, sy = pw - 1 - x; break;
            default: sx = x, sy = y; break;
            }
            if (put_pixel(sf, sx, sy, gray[x - x0])) {
                if (x < lo)
                    lo = x;
                hi = x;
                changed = true;
            }
        }
    }
    if (changed) {
        if (lo < *dx0)
            *dx0 = lo;
        if (hi + 1 > *dx1)
            *dx1 = hi + 1;
    }
    return changed;
}

void jk__surface_read_row(const jk_surface *sf, int y, uint8_t *gray)
{
    const uint8_t *row = sf->pixels + (size_t)y * (size_t)sf->stride;
    int w = sf->width;
    switch (sf->format) {
    case JK_PIXEL_GRAY8: memcpy(gray, row, (size_t)w); break;
    case JK_PIXEL_GRAY4:
        for (int x = 0; x < w; x++)
            gray[x] = (uint8_t)(((x & 1 ? row[x / 2] : row[x / 2] >> 4) & 15) *
                                17);
        break;
    case JK_PIXEL_MONO1:
        for (int x = 0; x < w; x++)
            gray[x] = row[x / 8] & (0x80 >> (x & 7)) ? 255 : 0;
        break;
    case JK_PIXEL_RGB565:
        for (int x = 0; x < w; x++) {
            unsigned g = (row[2 * x] | row[2 * x + 1] << 8) >> 5 & 63;
            gray[x] = (uint8_t)((g * 255 + 31) / 63);
        }
        break;
    case JK_PIXEL_XRGB8888:
    case JK_PIXEL_BGRA8888: {
        int k = sf->format == JK_PIXEL_XRGB8888 ? 1 : 2;
        for (int x = 0; x < w; x++)
            gray[x] = row[4 * x + k];
        break;
    }
    default: memset(gray, 255, (size_t)w); break;
    }
}
