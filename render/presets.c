/* Presets and names: the devices jikji knows, and the names of its enum
 * values as the CLI, JSON and firmware spell them. One table each, so no
 * program repeats them. Constant data only. */
#include <string.h>

#include "jikji.h"

/* Panels in their upright orientation (TYPOGRAPHY.md, "E-ink"). */
static const jk_device devices[] = {
    {"kobo-clara", "Kobo Clara HD / 2E", 1072, 1448, 300},
    {"kindle-pw", "Kindle Paperwhite 3 and 4", 1072, 1448, 300},
    {"kindle-pw5", "Kindle Paperwhite 5", 1236, 1648, 300},
    {"kobo-libra", "Kobo Libra 2", 1264, 1680, 300},
    {"kobo-sage", "Kobo Sage", 1440, 1920, 300},
    {"kobo-elipsa", "Kobo Elipsa", 1404, 1872, 227},
    {"remarkable2", "reMarkable 2", 1404, 1872, 226},
    {"kindle-basic", "Kindle (10th generation)", 600, 800, 167},
    {"kindle-pw1", "Kindle Paperwhite 1 and 2", 758, 1024, 212},
};

size_t jk_device_count(void) { return sizeof devices / sizeof *devices; }

const jk_device *jk_device_get(size_t index)
{
    return index < jk_device_count() ? &devices[index] : NULL;
}

const jk_device *jk_device_find(const char *name)
{
    for (size_t i = 0; name && i < jk_device_count(); i++)
        if (strcmp(devices[i].name, name) == 0)
            return &devices[i];
    return NULL;
}

void jk_settings_set_device(jk_settings *s, const jk_device *d)
{
    if (!s || !d)
        return;
    s->page_width = d->width;
    s->page_height = d->height;
    s->dpi = d->dpi;
}

/* ------------------------------------------------------------------ names */

typedef struct names {
    const char *const *name; /* indexed by value */
    int count;
} names;

static const char *const align_names[] = {"justify", "left"};
static const char *const word_break_names[] = {"auto", "keep-all", "normal"};
static const char *const breaker_names[] = {"optimal", "greedy"};
static const char *const hinting_names[] = {"light", "none", "normal"};
static const char *const dither_names[] = {"none", "ordered", "fs"};
static const char *const format_names[] = {"gray8", "gray4", "mono1",
                                           "rgb565", "xrgb8888", "bgra8888"};
static const char *const kind_names[] = {"title", "byline", "heading",
                                         "paragraph", "caption", "quote",
                                         "list", "code", "table",
                                         "figure", "rule"};

#define SET(a) {a, (int)(sizeof a / sizeof *a)}
static const names sets[] = {
    [JK_NAMES_ALIGN] = SET(align_names),
    [JK_NAMES_WORD_BREAK] = SET(word_break_names),
    [JK_NAMES_BREAKER] = SET(breaker_names),
    [JK_NAMES_HINTING] = SET(hinting_names),
    [JK_NAMES_DITHER] = SET(dither_names),
    [JK_NAMES_PIXEL_FORMAT] = SET(format_names),
    [JK_NAMES_BLOCK_KIND] = SET(kind_names),
};
#undef SET

/* The enums and the tables must agree. */
_Static_assert(JK_ALIGN_LEFT == 1 && JK_WORD_BREAK_NORMAL == 2 &&
                   JK_BREAKER_GREEDY == 1 && JK_HINTING_NORMAL == 2 &&
                   JK_DITHER_FS == 2 && JK_PIXEL_FORMAT_COUNT == 6 &&
                   JK_BLOCK_KIND_COUNT == 11,
               "name tables out of step with the enums");

const char *jk_name_of(jk_name_set set, int value)
{
    if ((unsigned)set >= sizeof sets / sizeof *sets || value < 0 ||
        value >= sets[set].count)
        return NULL;
    return sets[set].name[value];
}

jk_status jk_value_of(jk_name_set set, const char *name, int *value)
{
    if (!name || !value || (unsigned)set >= sizeof sets / sizeof *sets)
        return JK_ERR_INVALID_ARGUMENT;
    for (int i = 0; i < sets[set].count; i++)
        if (strcmp(sets[set].name[i], name) == 0) {
            *value = i;
            return JK_OK;
        }
    return JK_ERR_NOT_FOUND;
}

const char *jk_block_kind_name(jk_block_kind kind)
{
    const char *n = jk_name_of(JK_NAMES_BLOCK_KIND, (int)kind);
    return n ? n : "unknown";
}

int jk_png_depth_for_levels(int gray_levels)
{
    switch (gray_levels) {
    case 0:
    case 256: return 8;
    case 16: return 4;
    case 4: return 2;
    case 2: return 1;
    default: return 0;
    }
}
