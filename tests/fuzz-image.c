/* fuzz-image.c - the image module (render/image.c) on arbitrary bytes:
 * jk__image_decode, jk__image_from_gray and jk__image_scale.
 *
 * Input: byte 0 chooses what the rest is (bits 0-1) and the scaled size
 * (bits 2-7):
 *   0  the bytes as they are (any format, told by its signature);
 *   1  a PNG: the signature is prepended and every chunk's CRC put right,
 *      so mutations reach past libpng's checksums into the pixels;
 *   2  a JPEG: FF D8 FF prepended (the start of image and of a marker);
 *   3  gray pixels: byte 1 (+1) is the width, the rest the rows.
 * Checks: the call succeeds (the system allocator does not fail); pixels
 * exist exactly when the status is OK, and nothing else then; the kept
 * size is the natural one fitted to JK__IMAGE_STORE_SIDE, the natural
 * size within the limits; dpi finite and in range; scaling to the same
 * size is a copy and to 1x1 a value between the darkest and lightest
 * pixel; a small scale of any ratio succeeds.
 *
 * Built with libFuzzer (-DJK_FUZZER) this is LLVMFuzzerTestOneInput only;
 * otherwise a main replays files and folders (see fuzz-replay.h).
 */
#define _POSIX_C_SOURCE 200809L /* the replay main: opendir, stat */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "resource_limits.h"

#define FUZZ_NAME "fuzz-image"
#include "fuzz-common.h"

static jk_context *g_ctx;

static uint32_t crc32_of(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

/* Put right the CRC of every whole chunk after the signature. */
static void fix_crcs(uint8_t *p, size_t n)
{
    size_t i = 8;
    while (i + 12 <= n) {
        uint32_t len = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
                       (uint32_t)p[i + 2] << 8 | p[i + 3];
        if (len > n - i - 12)
            break;
        uint32_t c = crc32_of(p + i + 4, (size_t)len + 4, 0);
        uint8_t *q = p + i + 8 + len;
        q[0] = (uint8_t)(c >> 24);
        q[1] = (uint8_t)(c >> 16);
        q[2] = (uint8_t)(c >> 8);
        q[3] = (uint8_t)c;
        i += 12 + (size_t)len;
    }
}

static void check_image(const jk__image *img, jk_image_status why)
{
    if (why != JK_IMAGE_OK) {
        FZ_CHECK(!img->gray && !img->width && !img->height &&
                     !img->natural_width && !img->natural_height &&
                     img->dpi == 0,
                 "status %d left an image", why);
        return;
    }
    FZ_CHECK(img->gray != NULL, "OK without pixels");
    int nw = img->natural_width, nh = img->natural_height;
    FZ_CHECK(nw >= 1 && nh >= 1 && nw <= JK__MAX_IMAGE_SIDE &&
                 nh <= JK__MAX_IMAGE_SIDE &&
                 (uint64_t)nw * (uint64_t)nh <= JK__MAX_IMAGE_PIXELS,
             "natural size %dx%d", nw, nh);
    int w = img->width, h = img->height;
    FZ_CHECK(w >= 1 && h >= 1 && w <= nw && h <= nh &&
                 w <= JK__IMAGE_STORE_SIDE && h <= JK__IMAGE_STORE_SIDE,
             "kept %dx%d of %dx%d", w, h, nw, nh);
    int nl = nw > nh ? nw : nh, kl = w > h ? w : h;
    int want = nl < JK__IMAGE_STORE_SIDE ? nl : JK__IMAGE_STORE_SIDE;
    FZ_CHECK(kl == want, "kept long side %d, not %d", kl, want);
    /* the aspect kept to within a pixel's rounding (plus JPEG's DCT
     * scaling rounding up the short side) */
    double ratio = (double)w / h, nratio = (double)nw / nh;
    double slack = 2.0 / (w < h ? w : h) + 1e-9;
    FZ_CHECK(fabs(ratio / nratio - 1) <= slack ||
                 fabs(nratio / ratio - 1) <= slack,
             "kept %dx%d of %dx%d", w, h, nw, nh);
    FZ_CHECK(isfinite(img->dpi) && img->dpi >= 0 && img->dpi <= JK__MAX_DPI,
             "dpi %g", img->dpi);
}

static void check_scale(const jk__image *img, unsigned sel)
{
    size_t n = (size_t)img->width * (size_t)img->height;
    uint8_t lo = 255, hi = 0;
    for (size_t i = 0; i < n; i++) {
        lo = img->gray[i] < lo ? img->gray[i] : lo;
        hi = img->gray[i] > hi ? img->gray[i] : hi;
    }
    uint8_t one;
    FZ_CHECK(jk__image_scale(g_ctx, img, 1, 1, &one) == JK_OK, "to 1x1");
    FZ_CHECK(one + 1 >= lo && one <= hi + 1, "1x1 is %d, pixels %d..%d", one,
             lo, hi);
    if (n <= 4096) {
        uint8_t *copy = malloc(n);
        FZ_CHECK(copy && jk__image_scale(g_ctx, img, img->width, img->height,
                                         copy) == JK_OK,
                 "same size");
        FZ_CHECK(memcmp(copy, img->gray, n) == 0, "same size not a copy");
        free(copy);
    }
    int sw = 1 + (int)(sel & 7) * 9, sh = 1 + (int)(sel >> 3) * 11;
    uint8_t *out = malloc((size_t)sw * (size_t)sh);
    FZ_CHECK(out && jk__image_scale(g_ctx, img, sw, sh, out) == JK_OK,
             "to %dx%d", sw, sh);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!g_ctx && jk_context_create(NULL, &g_ctx) != JK_OK)
        abort();
    unsigned mode = data[0] & 3, sel = data[0] >> 2;
    data++;
    size--;

    jk__image img;
    jk_image_status why = JK_IMAGE_MISSING;
    jk_status st;
    if (mode == 3) {
        if (size < 1)
            return 0;
        int w = data[0] + 1;
        int h = (int)((size - 1) / (size_t)w);
        if (h < 1)
            return 0;
        st = jk__image_from_gray(g_ctx, data + 1, w, h, w, &img, &why);
        if (h > JK__MAX_IMAGE_SIDE) { /* a side past the limit: refused */
            FZ_CHECK(st == JK_OK && why == JK_IMAGE_REFUSED && !img.gray,
                     "gray %dx%d not refused", w, h);
            return 0;
        }
        FZ_CHECK(st == JK_OK && why == JK_IMAGE_OK, "gray %dx%d", w, h);
        FZ_CHECK(img.natural_width == w && img.natural_height == h,
                 "gray natural size");
        if (w <= JK__IMAGE_STORE_SIDE && h <= JK__IMAGE_STORE_SIDE)
            FZ_CHECK(memcmp(img.gray, data + 1, (size_t)w * (size_t)h) == 0,
                     "gray not copied");
    } else {
        static const uint8_t png_sig[8] = {0x89, 'P',  'N',  'G',
                                           '\r', '\n', 0x1A, '\n'};
        static const uint8_t jpeg_soi[3] = {0xFF, 0xD8, 0xFF};
        size_t pre = mode == 1 ? 8 : mode == 2 ? 3 : 0;
        uint8_t *buf = malloc(size + pre + 1);
        if (!buf)
            abort();
        memcpy(buf, mode == 1 ? png_sig : jpeg_soi, pre);
        memcpy(buf + pre, data, size);
        if (mode == 1)
            fix_crcs(buf, pre + size);
        st = jk__image_decode(g_ctx, buf, pre + size, &img, &why);
        free(buf);
        FZ_CHECK(st == JK_OK, "decode: %s", jk_status_string(st));
    }
    check_image(&img, why);
    if (why == JK_IMAGE_OK)
        check_scale(&img, sel);
    jk__image_free(g_ctx, &img);
    FZ_CHECK(img.gray == NULL, "free");
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"
int main(int argc, char **argv)
{
    int r = fuzz_replay("fuzz-image", argc, argv);
    jk_context_destroy(g_ctx);
    return r;
}
#endif
