/* Images for figures: a placeholder until the decoders land (image.h). */
#include <string.h>

#include "image.h"
#include "memory.h"

jk_status jk__image_decode(jk_context *ctx, const void *data, size_t size,
                           jk__image *out, jk_image_status *why)
{
    (void)ctx;
    (void)data;
    (void)size;
    memset(out, 0, sizeof *out);
    *why = JK_IMAGE_REFUSED;
    return JK_OK;
}

jk_status jk__image_from_gray(jk_context *ctx, const uint8_t *pixels,
                              int width, int height, int stride,
                              jk__image *out, jk_image_status *why)
{
    (void)ctx;
    (void)pixels;
    (void)width;
    (void)height;
    (void)stride;
    memset(out, 0, sizeof *out);
    *why = JK_IMAGE_REFUSED;
    return JK_OK;
}

void jk__image_free(jk_context *ctx, jk__image *img)
{
    jk__free(ctx, img->gray);
    memset(img, 0, sizeof *img);
}

jk_status jk__image_scale(jk_context *ctx, const jk__image *img, int width,
                          int height, uint8_t *out)
{
    (void)ctx;
    (void)img;
    memset(out, 255, (size_t)width * (size_t)height);
    return JK_OK;
}
