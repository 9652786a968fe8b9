/* Surfaces: pixel formats and rotation (surface.c). */
#ifndef JK__SURFACE_H
#define JK__SURFACE_H

#include <stdbool.h>
#include <stdint.h>

#include "jikji.h"

/* Argument checks (format, stride, rotation). */
jk_status jk__check_surface(jk_context *ctx, const jk_surface *sf);
/* The page-oriented size of a surface (width and height swapped for 90
 * and 270). */
void jk__surface_page_size(const jk_surface *sf, int *w, int *h);
/* Rectangles between page and surface coordinates. */
jk_rect jk__rect_to_surface(const jk_surface *sf, jk_rect r);
jk_rect jk__rect_to_page(const jk_surface *sf, jk_rect r);
/* Store final gray values gray[0..x1-x0) as page pixels x0..x1-1 of page
 * row y (turned by the surface's rotation), comparing with what is there.
 * `tmp` holds 4 * (x1 - x0) bytes. Returns whether a pixel changed and
 * widens [*dx0, *dx1) to the changed page columns. */
bool jk__surface_put_row(const jk_surface *sf, int y, int x0, int x1,
                         const uint8_t *gray, uint8_t *tmp, int *dx0,
                         int *dx1);
/* Decode surface row y (its own coordinates) to `width` 8-bit grays. */
void jk__surface_read_row(const jk_surface *sf, int y, uint8_t *gray);

#endif
