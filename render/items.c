/* Items: shaped text and break opportunities as Knuth-Plass boxes, glue
 * and penalties, once per document and in em, so any size or width can be
 * composed from them. Spaces are glue; text between break opportunities
 * is a box; every opportunity not at a space is a penalty whose cost the
 * composer chooses from its kind and the settings. */
#include <math.h>

#include "font.h"
#include "hyphenate.h"
#include "items.h"
#include "linebreak.h"
#include "memory.h"
#include "utf8.h"

/* The hyphen to draw after cps[i]: the font of the glyph before the
 * break, U+2010 HYPHEN if it has one, else U+002D. */
static void hyphen_for(const jk_context *ctx, const jk__block *b, size_t i,
                       jk__hyphen *h)
{
    uint32_t g = jk__cp_glyph(b, i + 1);
    uint16_t fi = g > 0 ? b->glyphs[g - 1].font : 0;
    const jk__font *f = jk__font_at(ctx, fi);
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(f->hb, 0x2010, &gid))
        hb_font_get_nominal_glyph(f->hb, '-', &gid);
    h->pos = (uint32_t)(i + 1);
    h->font = fi;
    h->gid = gid;
    h->width = gid ? (float)(hb_font_get_glyph_h_advance(f->hb, gid) *
                             f->scale / f->upem)
                   : 0.3f;
}

bool jk__syllable_gap(const jk__block *b, size_t i)
{
    return i + 1 < b->n && (b->brk[i] & JK__BRK_SYLLABLE) &&
           jk__cluster_start(b, i + 1) &&
           jk__is_hangul_or_han(b->cps[i]) &&
           jk__is_hangul_or_han(b->cps[i + 1]);
}

/* Blank of glyph gi between its ink and its pen position (left) or the
 * end of its advance (right), em; none for a glyph without ink. */
static double side_blank(const jk_context *ctx, const jk__block *b,
                         uint32_t gi, bool left)
{
    const jk__glyph *g = &b->glyphs[gi];
    const jk__font *f = jk__font_at(ctx, g->font);
    hb_glyph_extents_t ext;
    if (g->missing || !hb_font_get_glyph_extents(f->hb, g->gid, &ext) ||
        ext.width <= 0)
        return 0;
    bool script = (g->style & (JK_STYLE_SUB | JK_STYLE_SUP)) != 0;
    double k = f->scale * (script ? JK__SCRIPT_SIZE : 1) / f->upem;
    const jk__offset *o = jk__offset_at(b, jk__offset_from(b, gi), gi);
    double dx = o ? o->dx * JK__OFFSET_UNIT : 0;
    double ink_left = ext.x_bearing * k + dx;
    return left ? ink_left : g->advance - (ink_left + ext.width * k);
}

double jk__space_blank(const jk_context *ctx, const jk__block *b, size_t i)
{
    double blank = b->xpos[i + 1] - b->xpos[i];
    uint32_t before = jk__cp_glyph(b, i), after = jk__cp_glyph(b, i + 1);
    if (i > 0 && before > 0 && before <= b->glyph_count)
        blank += side_blank(ctx, b, before - 1, false);
    if (i + 1 < b->n && after < b->glyph_count)
        blank += side_blank(ctx, b, after, true);
    return fmax(0, blank);
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
static bool short_fragment(const jk__block *b, size_t i)
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

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

/* Latin, Greek or Cyrillic letters and digits. */
static bool is_latin_like(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x4FF) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Brackets and marks that CJK fonts draw full width, with half the em
 * blank on one side (KLREQ, JLREQ): the blank may be squeezed. */
static bool is_opening_punct(uint32_t cp)
{
    return (cp >= 0x3008 && cp <= 0x3011 && !(cp & 1)) || /* 〈《「『【 */
           cp == 0x3014 || cp == 0x3016 || cp == 0x3018 || cp == 0x301A ||
           cp == 0xFF08 || cp == 0xFF3B || cp == 0xFF5B || cp == 0x2018 ||
           cp == 0x201C;
}

static bool is_closing_punct(uint32_t cp)
{
    return (cp >= 0x3009 && cp <= 0x3011 && (cp & 1)) || /* 〉》」』】 */
           cp == 0x3015 || cp == 0x3017 || cp == 0x3019 || cp == 0x301B ||
           cp == 0xFF09 || cp == 0xFF3D || cp == 0xFF5D || cp == 0x2019 ||
           cp == 0x201D || cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C ||
           cp == 0xFF0E;
}

/* After a full-width closing mark, a character that takes its blank:
 * a space, or punctuation that closes or ends a phrase. */
static bool squeezes_closing(uint32_t cp)
{
    return jk__is_space(cp) || cp == ',' || cp == '.' || cp == ':' ||
           cp == ';' || cp == '!' || cp == '?' || cp == ')' || cp == ']' ||
           cp == '}' || cp == 0x2019 || cp == 0x201D || cp == 0x2026 ||
           cp == 0xB7;
}

/* Before a full-width opening mark, a character that takes its blank: a
 * space, or an opening bracket or quote. */
static bool squeezes_opening(uint32_t cp)
{
    return jk__is_space(cp) || cp == '(' || cp == '[' || cp == '{' ||
           cp == 0x2018 || cp == 0x201C;
}

/* JK__JUST_OPEN or JK__JUST_CLOSE for cps[i] if its glyph really is full
 * width with the blank half on the expected side (fonts differ: Nanum
 * Myeongjo's 『 is full width, Nanum Gothic's proportional). */
static uint8_t punct_class(const jk_context *ctx, const jk__block *b,
                           size_t i)
{
    bool open = is_opening_punct(b->cps[i]);
    if (!open && !is_closing_punct(b->cps[i]))
        return 0;
    /* One code point, one glyph. */
    if (!jk__cluster_start(b, i) || !jk__cluster_start(b, i + 1) ||
        jk__cp_glyph(b, i + 1) != jk__cp_glyph(b, i) + 1)
        return 0;
    const jk__glyph *g = &b->glyphs[jk__cp_glyph(b, i)];
    const jk__font *f = jk__font_at(ctx, g->font);
    double adv = g->advance;
    hb_glyph_extents_t ext;
    const jk__offset *o =
        jk__offset_at(b, jk__offset_from(b, jk__cp_glyph(b, i)),
                      jk__cp_glyph(b, i));
    bool offset = o && o->dx != 0;
    if (g->missing || adv < 0.8 || offset ||
        !hb_font_get_glyph_extents(f->hb, g->gid, &ext))
        return 0;
    double k = f->scale / f->upem;
    double left = ext.x_bearing * k, right = (ext.x_bearing + ext.width) * k;
    double slack = 0.05 * adv; /* ink may reach a little past the middle */
    if (open)
        return left >= adv / 2 - slack ? JK__JUST_OPEN : 0;
    return right <= adv / 2 + slack ? JK__JUST_CLOSE : 0;
}

/* Justification classes of every code point, and the squeezes that are
 * always made (KLREQ, JLREQ): between two full-width marks in a row only
 * half an em of blank is kept ("」「", "。」", "（「"), and a bracket's
 * blank next to a space or to other punctuation goes ("『직지』 또는",
 * "』,"): the space already parts the words, and blank on both sides of
 * it would read as a gap twice as wide. The glyph advances and pen
 * positions are changed accordingly. */
/* The squeezed opening brackets' glyphs move left by their blank: new
 * entries merged into the block's offsets (both are in glyph order). */
static jk_status merge_offsets(jk_context *ctx, jk__block *b,
                               const jk__offset *add, size_t count)
{
    if (!count)
        return JK_OK;
    jk__block_extra *x = jk__block_extra_of(ctx, b);
    jk__offset *all = x ? jk__realloc_array(ctx, NULL,
                                            x->offset_count + count,
                                            sizeof *all)
                        : NULL;
    if (!all)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory building items");
    size_t i = 0, j = 0, n = 0;
    while (i < x->offset_count || j < count) {
        if (j >= count ||
            (i < x->offset_count && x->offsets[i].glyph < add[j].glyph)) {
            all[n++] = x->offsets[i++];
        } else if (i < x->offset_count &&
                   x->offsets[i].glyph == add[j].glyph) {
            all[n] = x->offsets[i++];
            all[n].dx = (int16_t)(all[n].dx + add[j++].dx);
            n++;
        } else {
            all[n++] = add[j++];
        }
    }
    jk__free(ctx, x->offsets);
    x->offsets = all;
    x->offset_count = (uint32_t)n;
    return JK_OK;
}

static jk_status justification_classes(jk_context *ctx, jk__block *b)
{
    for (size_t i = 0; i < b->n; i++)
        b->just[i] = punct_class(ctx, b, i);
    jk__offset *moved = NULL; /* squeezed opening brackets */
    size_t moved_count = 0, moved_cap = 0;
    double shift = 0; /* taken out before cps[i] so far */
    bool after_digit = false;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t cp = b->cps[i];
        b->xpos[i] -= shift;
        if (i + 1 < b->n && (b->just[i] & JK__JUST_CLOSE) &&
            ((b->just[i + 1] & (JK__JUST_OPEN | JK__JUST_CLOSE)) ||
             squeezes_closing(b->cps[i + 1]))) {
            jk__glyph *g = &b->glyphs[jk__cp_glyph(b, i)];
            double blank = g->advance / 2;
            g->advance -= (float)blank;
            b->just[i] &= (uint8_t)~JK__JUST_CLOSE;
            shift += blank;
        } else if (i > 0 && (b->just[i] & JK__JUST_OPEN) &&
                   ((b->just[i - 1] & JK__JUST_OPEN) ||
                    squeezes_opening(b->cps[i - 1]))) {
            uint32_t gi = jk__cp_glyph(b, i);
            jk__glyph *g = &b->glyphs[gi];
            double blank = g->advance / 2;
            g->advance -= (float)blank;
            if (!jk__grow(ctx, (void **)&moved, &moved_cap, moved_count + 1,
                          sizeof *moved)) {
                jk__free(ctx, moved);
                return jk__fail(ctx, JK_ERR_NOMEM,
                                "out of memory building items");
            }
            moved[moved_count++] =
                (jk__offset){gi, (int16_t)-jk__glyph_offset(blank), 0};
            b->just[i] &= (uint8_t)~JK__JUST_OPEN;
            shift += blank;
        }
        /* Gaps between syllables, but not in a word that has a number
         * ("2000억원", "3일간": the unit stays set solid). */
        if (is_digit(cp))
            after_digit = true;
        else if (!is_letter_unit(cp))
            after_digit = false;
        if (!after_digit && jk__syllable_gap(b, i))
            b->just[i] |= JK__JUST_GAP;
        if (i + 1 < b->n && is_latin_like(cp) &&
            is_latin_like(b->cps[i + 1]) && jk__cluster_start(b, i + 1))
            b->just[i] |= JK__JUST_LETTER;
        /* A space between Korean words reads wider than it is (the
         * syllables' side bearings), one beside Latin as wide as it is:
         * they stretch differently. */
        if (jk__is_stretchable(cp) &&
            ((i > 0 && is_latin_like(b->cps[i - 1])) ||
             (i + 1 < b->n && is_latin_like(b->cps[i + 1]))))
            b->just[i] |= JK__JUST_LATIN_SPACE;
    }
    b->xpos[b->n] -= shift;
    jk_status st = merge_offsets(ctx, b, moved, moved_count);
    jk__free(ctx, moved);
    return st;
}

/* Hyphens go into an array sized by a first pass (count), so a block
 * holds exactly what it needs. */
typedef struct sink {
    jk__block *b;
    bool count; /* the first pass: only count */
    size_t hyphens;
} sink;

/* One pass over the text: the kind of each break opportunity that is not
 * a space's, into brk (the glue is found from the text itself). */
static void make_items(const jk_context *ctx, sink *k, const uint8_t *hyphens)
{
    jk__block *b = k->b;
    for (size_t i = 0; i + 1 < b->n; i++) {
        uint32_t cp = b->cps[i];

        /* A break opportunity after cps[i] that is not a space's. */
        uint8_t f = b->brk[i];
        uint8_t h = hyphens ? hyphens[i] : 0;
        if (!jk__cluster_start(b, i + 1))
            continue; /* inside a glyph cluster: never a break */
        uint8_t kind;
        if (f & JK__BRK_MANDATORY) {
            kind = JK__PEN_FORCED;
        } else if (jk__is_stretchable(cp) ||
                   jk__is_stretchable(b->cps[i + 1])) {
            continue; /* the glue is the break */
        } else if ((f & JK__BRK_SYLLABLE) &&
                   jk__lb_class(b->cps[i + 1]) == JK__LB_OP) {
            /* Before a bracket inside a word ("훈민정음|(訓民正音)을"):
             * punctuation's opportunity, in keep-all too. Never after
             * the closing one: the particle stays with its word. */
            kind = JK__PEN_PLAIN;
        } else if (f & JK__BRK_SYLLABLE) {
            /* Inside a Hanja word (訓民|正音) a break reads as badly as a
             * lone syllable: squeezing or a looser line comes first. */
            kind = !jk__syllable_gap(b, i) ? JK__PEN_WORD
                   : short_fragment(b, i) ||
                           (is_han(cp) && is_han(b->cps[i + 1]))
                       ? JK__PEN_FRAGMENT
                       : JK__PEN_SYLLABLE;
        } else if (f & JK__BRK_ALLOWED) {
            kind = JK__PEN_PLAIN;
        } else if (h & (JK__HYPH_PATTERN | JK__HYPH_SOFT)) {
            kind = JK__PEN_HYPHEN;
            if (!k->count)
                hyphen_for(ctx, b, i, &b->extra->hyphens[k->hyphens]);
            k->hyphens++;
        } else {
            continue;
        }
        if (!k->count)
            b->brk[i] = (uint8_t)((b->brk[i] & ((1u << JK__BRK_PEN_SHIFT) - 1)) |
                                  (kind + 1) << JK__BRK_PEN_SHIFT);
    }
}

jk_status jk__build_items(jk_context *ctx, jk__block *b,
                          const uint8_t *hyphens)
{
    b->just = jk__calloc(ctx, b->n ? b->n : 1, 1);
    if (!b->just)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory building items");
    jk_status st = justification_classes(ctx, b);
    if (st != JK_OK)
        return st;
    sink k = {b, true, 0};
    make_items(ctx, &k, hyphens);
    if (k.hyphens) {
        jk__block_extra *x = jk__block_extra_of(ctx, b);
        if (!x || !(x->hyphens = jk__realloc_array(ctx, NULL, k.hyphens,
                                                   sizeof *x->hyphens)))
            goto nomem;
        x->hyphen_count = (uint32_t)k.hyphens;
    }
    k = (sink){b, false, 0};
    make_items(ctx, &k, hyphens);
    return JK_OK;
nomem:
    return jk__fail(ctx, JK_ERR_NOMEM, "out of memory building items");
}
