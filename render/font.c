/* Fonts: loading, metrics, and the per-character fallback chain. */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "font.h"

#include FT_OUTLINE_H
#include "memory.h"
#include "resource_limits.h"

jk__font *jk__font_at(const jk_context *ctx, size_t i)
{
    return ctx->fonts[i];
}

size_t jk__font_count(const jk_context *ctx) { return ctx->font_count; }

void jk__font_destroy(jk_context *ctx, jk__font *font)
{
    if (!font)
        return;
    if (font->hb)
        hb_font_destroy(font->hb);
    if (font->face)
        FT_Done_Face(font->face);
    hb_blob_destroy(font->blob);
    jk__free(ctx, font->data);
    jk__free(ctx, font);
}

jk_status jk__font_clone(jk_context *ctx, const jk__font *src,
                         jk__font **out)
{
    *out = NULL;
    jk__font *f = jk__calloc(ctx, 1, sizeof *f);
    if (!f)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory copying a font");
    f->desc = src->desc;
    f->blob = hb_blob_reference(src->blob);
    f->upem = src->upem;
    f->scale = src->scale;
    f->ascender = src->ascender;
    f->descender = src->descender;
    /* The same HarfBuzz font: immutable, so shaping on it from several
     * threads is safe (the header and footer of page counts). */
    f->hb = hb_font_reference(src->hb);
    unsigned size = 0;
    const char *bytes = hb_blob_get_data(f->blob, &size);
    FT_Error err = FT_New_Memory_Face(ctx->ft, (const FT_Byte *)bytes,
                                      (FT_Long)size, 0, &f->face);
    if (err) {
        f->face = NULL;
        jk__font_destroy(ctx, f);
        return jk__fail(ctx, err == FT_Err_Out_Of_Memory ? JK_ERR_NOMEM
                                                         : JK_ERR_FONT,
                        "cannot open a font again (FreeType error %d)", err);
    }
    *out = f;
    return JK_OK;
}

/* Cap height of 'H' in em, from the outline's bounding box; 0 if absent. */
static double cap_height(const jk__font *f)
{
    FT_UInt gid = FT_Get_Char_Index(f->face, 'H');
    if (!gid || FT_Load_Glyph(f->face, gid, FT_LOAD_NO_SCALE))
        return 0;
    if (f->face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return 0;
    FT_BBox box;
    FT_Outline_Get_CBox(&f->face->glyph->outline, &box);
    return box.yMax > 0 ? (double)box.yMax / f->upem : 0;
}

/* Latin fonts are scaled so their capitals stand as tall as the Korean
 * serif font's own Latin capitals: Hangul and Latin then look one size. */
static void update_latin_scale(jk_context *ctx)
{
    int k = jk__font_primary(ctx, JK_FAMILY_SERIF, false);
    double ref = k >= 0 ? cap_height(ctx->fonts[k]) : 0;
    for (size_t i = 0; i < ctx->font_count; i++) {
        jk__font *f = ctx->fonts[i];
        f->scale = 1.0;
        if (f->desc.script != JK_FONT_LATIN || ref <= 0)
            continue;
        double h = cap_height(f);
        if (h <= 0)
            continue;
        double s = ref / h;
        f->scale = s < 0.8 ? 0.8 : s > 1.25 ? 1.25 : s;
    }
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* Whether the first face's table directory (OpenType / TrueType, or the
 * first font of a collection) lies in the data and every table it lists
 * ends inside it. FreeType loads tables lazily: a truncated file opens
 * and then draws nothing, so this is checked first. */
static bool tables_fit(const unsigned char *p, size_t size)
{
    size_t dir = 0;
    if (size >= 16 && be32(p) == 0x74746366u) { /* 'ttcf' */
        if (be32(p + 8) == 0)
            return false;
        dir = be32(p + 12);
    }
    if (dir > size || size - dir < 12)
        return false;
    uint32_t version = be32(p + dir);
    if (version != 0x00010000u && version != 0x4F54544Fu && /* 'OTTO' */
        version != 0x74727565u)                             /* 'true' */
        return false;
    size_t tables = (size_t)p[dir + 4] << 8 | p[dir + 5];
    if (tables == 0 || (size - dir - 12) / 16 < tables)
        return false;
    for (size_t i = 0; i < tables; i++) {
        const unsigned char *r = p + dir + 12 + 16 * i;
        uint64_t offset = be32(r + 8), length = be32(r + 12);
        if (offset + length > size)
            return false;
    }
    return true;
}

/* Add a font whose bytes are `blob` (a reference is taken over) and, when
 * they were copied through the allocator, `data` (owned from here on). */
static jk_status add_font(jk_context *ctx, hb_blob_t *blob, void *data,
                          const jk_font_desc *desc, const char *name)
{
    jk_status st = JK_OK;
    jk__font *f = NULL;
    if (ctx->documents > 0) {
        st = jk__fail(ctx, JK_ERR_BUSY,
                      "font %s: the font set is frozen while %zu document%s "
                      "of this context exist%s", name, ctx->documents,
                      ctx->documents == 1 ? "" : "s",
                      ctx->documents == 1 ? "s" : "");
        goto fail;
    }
    if (ctx->drawers > 0) {
        st = jk__fail(ctx, JK_ERR_BUSY,
                      "font %s: the font set is frozen while drawers of "
                      "this context exist", name);
        goto fail;
    }
    if (!desc || (unsigned)desc->script > JK_FONT_SYMBOL ||
        (unsigned)desc->family > JK_FAMILY_MONO) {
        st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "bad font description");
        goto fail;
    }
    if (ctx->font_count >= JK__MAX_FONTS) {
        st = jk__fail(ctx, JK_ERR_LIMIT, "too many fonts (at most %d)",
                      JK__MAX_FONTS);
        goto fail;
    }
    if (!jk__grow(ctx, (void **)&ctx->fonts, &ctx->font_cap,
                  ctx->font_count + 1, sizeof *ctx->fonts)) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory adding a font");
        goto fail;
    }
    f = jk__calloc(ctx, 1, sizeof *f);
    if (!f) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory adding a font");
        goto fail;
    }
    f->desc = *desc;
    f->blob = blob;
    f->data = data;
    blob = NULL;
    data = NULL;
    unsigned size = 0;
    const char *bytes = hb_blob_get_data(f->blob, &size);
    if (!bytes || size == 0) {
        st = jk__fail(ctx, JK_ERR_FONT, "font %s is empty", name);
        goto fail;
    }
    if (size > JK__MAX_FONT_BYTES) {
        st = jk__fail(ctx, JK_ERR_LIMIT, "font %s is larger than %u bytes",
                      name, JK__MAX_FONT_BYTES);
        goto fail;
    }
    if (!tables_fit((const unsigned char *)bytes, size)) {
        st = jk__fail(ctx, JK_ERR_FONT,
                      "font %s is damaged: its tables do not fit its %u "
                      "bytes (a truncated file?)", name, size);
        goto fail;
    }
    FT_Error err = FT_New_Memory_Face(ctx->ft, (const FT_Byte *)bytes,
                                      (FT_Long)size, 0, &f->face);
    if (err) {
        f->face = NULL;
        st = jk__fail(ctx, err == FT_Err_Out_Of_Memory ? JK_ERR_NOMEM
                                                       : JK_ERR_FONT,
                      "cannot load font %s (FreeType error %d)", name, err);
        goto fail;
    }
    if (!FT_IS_SCALABLE(f->face) || f->face->units_per_EM == 0) {
        st = jk__fail(ctx, JK_ERR_FONT, "font %s is not scalable", name);
        goto fail;
    }
    f->upem = f->face->units_per_EM;
    f->ascender = f->face->ascender / f->upem;
    f->descender = -f->face->descender / f->upem;
    f->scale = 1.0;

    hb_face_t *face = hb_face_create(f->blob, 0);
    unsigned hb_upem = hb_face_get_upem(face);
    f->hb = hb_font_create(face);
    hb_face_destroy(face);
    if (f->hb == hb_font_get_empty() || hb_upem == 0) {
        st = jk__fail(ctx, JK_ERR_NOMEM, "HarfBuzz cannot open font %s",
                      name);
        goto fail;
    }
    hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
    hb_font_make_immutable(f->hb); /* shared with drawers (font_clone) */
    ctx->fonts[ctx->font_count++] = f;
    update_latin_scale(ctx);
    return JK_OK;
fail:
    hb_blob_destroy(blob);
    jk__free(ctx, data);
    jk__font_destroy(ctx, f);
    return st;
}

jk_status jk_context_add_font_memory(jk_context *ctx, const void *data,
                                     size_t size, const jk_font_desc *desc)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!data || !size || !desc)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "font data and description are required");
    if (size > JK__MAX_FONT_BYTES)
        return jk__fail(ctx, JK_ERR_LIMIT, "font larger than %u bytes",
                        JK__MAX_FONT_BYTES);
    void *copy = jk__malloc(ctx, size);
    if (!copy)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory copying a font");
    memcpy(copy, data, size);
    hb_blob_t *blob = hb_blob_create_or_fail(copy, (unsigned)size,
                                             HB_MEMORY_MODE_READONLY, NULL,
                                             NULL);
    if (!blob) {
        jk__free(ctx, copy);
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory adding a font");
    }
    return add_font(ctx, blob, copy, desc, "(memory)");
}

jk_status jk_context_add_font_borrowed(jk_context *ctx, const void *data,
                                       size_t size, const jk_font_desc *desc,
                                       void (*release)(void *user),
                                       void *user)
{
    jk__clear_error(ctx);
    jk_status st = JK_OK;
    if (!ctx)
        st = JK_ERR_INVALID_ARGUMENT;
    else if (!data || !size || !desc)
        st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                      "font data and description are required");
    else if (size > JK__MAX_FONT_BYTES)
        st = jk__fail(ctx, JK_ERR_LIMIT, "font larger than %u bytes",
                      JK__MAX_FONT_BYTES);
    hb_blob_t *blob = NULL;
    if (st == JK_OK) {
        /* The blob calls `release` when the last reference goes. */
        blob = hb_blob_create_or_fail(data, (unsigned)size,
                                      HB_MEMORY_MODE_READONLY, user, release);
        if (!blob)
            st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory adding a font");
    }
    if (st != JK_OK) {
        if (release)
            release(user); /* refused: the caller has its memory back */
        return st;
    }
    return add_font(ctx, blob, NULL, desc, "(borrowed memory)");
}

jk_status jk_context_add_font_file(jk_context *ctx, const char *path,
                                   const jk_font_desc *desc)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!path || !desc)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "font path and description are required");
    /* Mapped, not read: only the pages of the font that are used (its
     * tables, the glyphs of the text) are ever loaded. HarfBuzz reads the
     * file into memory where mapping is not possible. */
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return jk__fail(ctx, JK_ERR_IO, "cannot open font %s", path);
    return add_font(ctx, blob, NULL, desc, path);
}

/* The bundled set, in fallback order within each script. */
static const struct {
    const char *file;
    jk_font_desc desc;
} bundled[] = {
    {"NanumMyeongjo.ttf", {JK_FONT_KOREAN, JK_FAMILY_SERIF, 0, 0}},
    {"NanumMyeongjoBold.ttf", {JK_FONT_KOREAN, JK_FAMILY_SERIF, 1, 0}},
    {"NanumGothic.ttf", {JK_FONT_KOREAN, JK_FAMILY_SANS, 0, 0}},
    {"NanumGothicBold.ttf", {JK_FONT_KOREAN, JK_FAMILY_SANS, 1, 0}},
    {"NotoSerif-Regular.ttf", {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 0}},
    {"NotoSerif-Bold.ttf", {JK_FONT_LATIN, JK_FAMILY_SERIF, 1, 0}},
    {"NotoSerif-Italic.ttf", {JK_FONT_LATIN, JK_FAMILY_SERIF, 0, 1}},
    {"NotoSerif-BoldItalic.ttf", {JK_FONT_LATIN, JK_FAMILY_SERIF, 1, 1}},
    {"DejaVuSans.ttf", {JK_FONT_SYMBOL, JK_FAMILY_SANS, 0, 0}},
    {"DejaVuSansMono.ttf", {JK_FONT_LATIN, JK_FAMILY_MONO, 0, 0}},
};

size_t jk_bundled_font_count(void)
{
    return sizeof bundled / sizeof bundled[0];
}

jk_status jk_bundled_font(size_t index, const char **file,
                          jk_font_desc *desc)
{
    if (index >= jk_bundled_font_count())
        return JK_ERR_RANGE;
    if (file)
        *file = bundled[index].file;
    if (desc)
        *desc = bundled[index].desc;
    return JK_OK;
}

jk_status jk_context_add_bundled_fonts(jk_context *ctx, const char *dir)
{
    jk__clear_error(ctx);
    if (!ctx)
        return JK_ERR_INVALID_ARGUMENT;
    if (!dir)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT, "no font folder");
    for (size_t i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
        char path[4096];
        int len = snprintf(path, sizeof path, "%s/%s", dir, bundled[i].file);
        if (len < 0 || (size_t)len >= sizeof path)
            return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                            "font folder path too long");
        jk_status st = jk_context_add_font_file(ctx, path, &bundled[i].desc);
        if (st != JK_OK)
            return st;
    }
    return JK_OK;
}

int jk_context_font_count(const jk_context *ctx)
{
    return ctx ? (int)ctx->font_count : 0;
}

/* --------------------------------------------------------- font choice */

jk_font_script jk__script_of(uint32_t cp, bool *common)
{
    *common = false;
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x2FDF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3130 && cp <= 0x318F) ||
        (cp >= 0x3190 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xAC00 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0x20000 && cp <= 0x3FFFF))
        return JK_FONT_KOREAN;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
        (cp >= 0x250 && cp <= 0x2AF) || (cp >= 0x370 && cp <= 0x52F) ||
        (cp >= 0x1E00 && cp <= 0x1EFF) || cp == 0xAA || cp == 0xBA)
        return JK_FONT_LATIN;
    /* Combining marks, spaces, ASCII and Latin-1 punctuation and digits,
     * general punctuation (quotes, dashes, ellipsis) follow their
     * neighbours. */
    if (cp < 0xC0 || (cp >= 0x300 && cp <= 0x36F) ||
        (cp >= 0x2000 && cp <= 0x206F) || cp == 0xD7 || cp == 0xF7 ||
        cp == 0xFFFD) {
        *common = true;
        return JK_FONT_SYMBOL;
    }
    return JK_FONT_SYMBOL;
}

/* How well a font's family serves the wanted one: fully, or half for
 * code (monospace wanted) in the sans family, whose Hangul is as even. */
static int family_score(jk_font_family have, jk_font_family want, int weight)
{
    if (have == want)
        return weight;
    return want == JK_FAMILY_MONO && have == JK_FAMILY_SANS ? weight / 2 : 0;
}

int jk__font_primary(const jk_context *ctx, jk_font_family family, bool bold)
{
    int best = -1, best_score = -1;
    for (size_t i = 0; i < ctx->font_count; i++) {
        const jk_font_desc *d = &ctx->fonts[i]->desc;
        int score = (d->script == JK_FONT_KOREAN) * 8 +
                    family_score(d->family, family, 4) +
                    (!!d->bold == bold) * 2 + !d->italic;
        if (score > best_score) {
            best = (int)i;
            best_score = score;
        }
    }
    return best;
}

int jk__font_pick(const jk_context *ctx, uint32_t cp, jk_font_script prefer,
                  jk_font_family family, bool bold, bool italic,
                  bool *missing)
{
    bool common;
    jk_font_script script = jk__script_of(cp, &common);
    if (common)
        script = prefer;
    int best = -1, best_score = -1;
    for (size_t i = 0; i < ctx->font_count; i++) {
        const jk_font_desc *d = &ctx->fonts[i]->desc;
        /* Latin follows the family first (a sans heading keeps the Korean
         * sans font's Latin rather than a serif Latin font); other scripts
         * follow the script first. */
        int script_w = script == JK_FONT_LATIN ? 8 : 16;
        int family_w = script == JK_FONT_LATIN ? 16 : 8;
        int score = (d->script == script) * script_w +
                    family_score(d->family, family, family_w) +
                    (!!d->bold == bold) * 2 + (!!d->italic == italic);
        if (score <= best_score)
            continue;
        if (!FT_Get_Char_Index(ctx->fonts[i]->face, cp))
            continue;
        best = (int)i;
        best_score = score;
    }
    *missing = best < 0;
    if (best < 0)
        best = jk__font_primary(ctx, family, bold);
    return best;
}
