/* Items: shaped text and break opportunities as Knuth-Plass boxes, glue
 * and penalties, once per document and in em, so any size or width can be
 * composed from them. Spaces are glue; text between break opportunities
 * is a box; every opportunity not at a space is a penalty whose cost the
 * composer chooses from its kind and the settings. */
#include "hyphenate.h"
#include "internal.h"

/* The hyphen to draw after cps[i]: the font of the glyph before the
 * break, U+2010 HYPHEN if it has one, else U+002D. */
static void hyphen_for(const jk_context *ctx, const jk_block *b, size_t i,
                       jk_item *it)
{
    uint32_t g = b->cp_glyph[i + 1];
    uint16_t fi = g > 0 ? b->glyphs[g - 1].font : 0;
    const jk_font *f = ctx->fonts[fi];
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(f->hb, 0x2010, &gid))
        hb_font_get_nominal_glyph(f->hb, '-', &gid);
    it->font = fi;
    it->gid = gid;
    it->width = gid ? (float)(hb_font_get_glyph_h_advance(f->hb, gid) *
                              f->scale / f->upem)
                    : 0.3f;
}

bool jk__syllable_gap(const jk_block *b, size_t i)
{
    return i + 1 < b->n && (b->brk[i] & JK_BRK_SYLLABLE) &&
           !(b->brk[i] & JK__BRK_CLUSTER) &&
           jk__is_hangul_or_han(b->cps[i]) &&
           jk__is_hangul_or_han(b->cps[i + 1]);
}

static bool is_letter_unit(uint32_t cp)
{
    return jk__is_hangul_or_han(cp) || (cp >= '0' && cp <= '9') ||
           (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F);
}

/* A break after cps[i] that leaves a lone letter of its word at the
 * line's end ("트|위터", "물|론"; the word is the run between spaces)
 * splits a stem after its first syllable; one that leaves a lone
 * syllable and punctuation at the next line's start ("사용합니|다.",
 * "이미|지·") strands the end of a sentence or list item. Both read badly,
 * so auto mode breaks there only at a higher cost. A lone syllable that
 * ends the word at the next line's start is most often a particle
 * ("글자크기|가"), the most natural place to split a word, and costs the
 * usual. */
static bool short_fragment(const jk_block *b, size_t i)
{
    size_t before = 0, after = 0, k;
    for (k = i + 1; k-- > 0 && !jk__is_space(b->cps[k]) && before < 2;)
        before += is_letter_unit(b->cps[k]);
    if (before < 2)
        return true;
    for (k = i + 1; k < b->n && is_letter_unit(b->cps[k]) && after < 2; k++)
        after++;
    return after < 2 && k < b->n && !jk__is_space(b->cps[k]);
}

static bool push(jk_context *ctx, jk_block *b, size_t *cap, jk_item it)
{
    if (!jk__grow(ctx, (void **)&b->items, cap, b->item_count + 1,
                  sizeof *b->items))
        return false;
    b->items[b->item_count++] = it;
    return true;
}

jk_status jk__build_items(jk_document *doc, jk_block *b,
                          const uint8_t *hyphens)
{
    jk_context *ctx = doc->ctx;
    size_t cap = 0;
    bool in_box = false;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t cp = b->cps[i];
        float w = (float)(b->xpos[i + 1] - b->xpos[i]);
        jk_item it = {0};
        it.pos = (uint32_t)i;
        if (jk__is_stretchable(cp)) {
            it.type = JK_ITEM_GLUE;
            it.width = w;
            in_box = false;
        } else if (in_box) {
            b->items[b->item_count - 1].width += w;
            it.type = 0xFF; /* nothing new */
        } else {
            it.type = JK_ITEM_BOX;
            it.width = w;
            in_box = true;
        }
        if (it.type != 0xFF && !push(ctx, b, &cap, it))
            goto nomem;
        if (i + 1 >= b->n)
            break;

        /* A break opportunity after cps[i] that is not a space's. */
        uint8_t f = b->brk[i];
        uint8_t h = hyphens ? hyphens[i] : 0;
        if (f & JK__BRK_CLUSTER)
            continue;
        jk_item pen = {0};
        pen.type = JK_ITEM_PENALTY;
        pen.pos = (uint32_t)(i + 1);
        if (f & JK_BRK_MANDATORY) {
            pen.kind = JK_PEN_FORCED;
        } else if (jk__is_stretchable(cp) ||
                   jk__is_stretchable(b->cps[i + 1])) {
            continue; /* the glue is the break */
        } else if (f & JK_BRK_SYLLABLE) {
            pen.kind = !jk__syllable_gap(b, i) ? JK_PEN_WORD
                       : short_fragment(b, i)   ? JK_PEN_FRAGMENT
                                                : JK_PEN_SYLLABLE;
        } else if (f & JK_BRK_ALLOWED) {
            pen.kind = JK_PEN_PLAIN;
        } else if (h & (JK__HYPH_PATTERN | JK__HYPH_SOFT)) {
            pen.kind = JK_PEN_HYPHEN;
            hyphen_for(ctx, b, i, &pen);
        } else {
            continue;
        }
        if (!push(ctx, b, &cap, pen))
            goto nomem;
        in_box = false;
    }
    return JK_OK;
nomem:
    return jk__fail(ctx, JK_ERR_NOMEM, "out of memory building items");
}
