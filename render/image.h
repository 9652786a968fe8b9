/* Images for figures (image.c): PNG (libpng), JPEG (libjpeg-turbo) and,
 * where built with libwebp, WebP decoded to 8-bit gray, with a correct luminance and gamma, turned
 * upright by their EXIF orientation, and kept at most
 * JK__IMAGE_STORE_SIDE on the long side; scaled to the size a page sets
 * them at by area averaging in linear light. */
#ifndef JK__IMAGE_H
#define JK__IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

typedef struct jk__image {
    uint8_t *gray;      /* width x height, rows `width` bytes apart:
                           sRGB-encoded luminance, 0 black .. 255 white;
                           transparency composited over white */
    int width, height;  /* as kept (averaged down from the natural size
                           when larger than JK__IMAGE_STORE_SIDE) */
    int natural_width, natural_height; /* as decoded, after orientation */
    double dpi;         /* pixel density the file states (pHYs, JFIF,
                           EXIF), 0 when none */
} jk__image;

/* Decode `data` (PNG, JPEG or WebP, told by its signature; a WebP file
 * in a build without libwebp, or an animated one, is REFUSED). JK_OK with *out
 * filled and *why JK_IMAGE_OK; JK_OK with *why JK_IMAGE_CORRUPT (damaged,
 * truncated) or JK_IMAGE_REFUSED (another format, past the limits of
 * resource_limits.h: refused from the header, before any large
 * allocation) and *out empty; JK_ERR_NOMEM when memory ran out (the
 * caller's call fails; *out empty, *why REFUSED). Never aborts, never
 * prints. */
jk_status jk__image_decode(jk_context *ctx, const void *data, size_t size,
                           jk__image *out, jk_image_status *why);

/* An image from 8-bit gray pixels (sRGB-encoded), copied (averaged down
 * as decoded ones are). JK_ERR_INVALID_ARGUMENT for no pixels, a side
 * < 1 or stride < width; JK_OK with *why REFUSED past the limits. */
jk_status jk__image_from_gray(jk_context *ctx, const uint8_t *pixels,
                              int width, int height, int stride,
                              jk__image *out, jk_image_status *why);

void jk__image_free(jk_context *ctx, jk__image *img);

/* The image scaled to width x height (>= 1) into out (width * height
 * bytes, rows `width` apart), sRGB-encoded gray: each output pixel the
 * area average, in linear light, of the pixels it covers. Sides past
 * JK__MAX_PAGE_SIDE: JK_ERR_LIMIT. */
jk_status jk__image_scale(jk_context *ctx, const jk__image *img, int width,
                          int height, uint8_t *out);

#endif
