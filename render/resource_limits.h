/* Resource limits, in one place. Inputs beyond them fail with JK_ERR_LIMIT
 * instead of exhausting memory or time. */
#ifndef JK__RESOURCE_LIMITS_H
#define JK__RESOURCE_LIMITS_H

/* Largest source text accepted, in bytes (offsets are 32-bit). */
#define JK__MAX_SOURCE_BYTES (256u * 1024u * 1024u)
/* Largest font file accepted, in bytes. */
#define JK__MAX_FONT_BYTES (64u * 1024u * 1024u)
/* Fonts on one context. */
#define JK__MAX_FONTS 64
/* Page size limits, pixels, and dpi. */
#define JK__MAX_PAGE_SIDE 32768
#define JK__MAX_DPI 4800
/* Font size limits, pixels after scaling. */
#define JK__MIN_FONT_PX 1.0
#define JK__MAX_FONT_PX 1000.0
/* Pages in one layout. */
#define JK__MAX_PAGES 1000000u
/* Glyph bitmap side drawn, pixels (larger glyphs are skipped). */
#define JK__MAX_GLYPH_PX 4096
/* UAX #15 stream-safe: non-starters in a row before a CGJ is inserted. */
#define JK__MAX_NONSTARTERS 30
/* Images (image.c): encoded bytes, pixels and sides of a decoded image,
 * checked from the header before any large allocation; the long side of
 * what a document keeps (photos are averaged down to it); JPEG scans (a
 * progressive file of endless scans is a time bomb). */
#define JK__MAX_IMAGE_BYTES (64u * 1024u * 1024u)
#define JK__MAX_IMAGE_PIXELS (50u * 1000u * 1000u)
#define JK__MAX_IMAGE_SIDE 30000
#define JK__IMAGE_STORE_SIDE 2048
#define JK__MAX_JPEG_SCANS 256
/* libjpeg's own memory (not the context's: it has no allocator hook),
 * capped: a progressive file keeps every coefficient, 2 bytes a sample,
 * so 3 bytes a pixel at 4:2:0; this holds one at the pixel limit, with
 * room for libjpeg's rows. Past it (4:4:4 over 26 megapixels): refused. */
#define JK__JPEG_MEMORY ((size_t)JK__MAX_IMAGE_PIXELS * 3u + (16u << 20))
/* Compressed bytes libpng may read after the last row looking for the end
 * of the zlib stream: without a cap, 64 MB of trailing deflate data would
 * inflate to 60 GB. */
#define JK__PNG_TRAILING (16u * 1024u)

#endif
