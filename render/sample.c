/* A sample text at given settings: the preview strip of a font-size
 * slider. It goes through the same stages as an article (a document of
 * body paragraphs, a layout, drawing), so what it shows is what a page
 * at those settings shows. */
#include <math.h>
#include <string.h>

#include "layout.h"
#include "memory.h"
#include "resource_limits.h"

/* The text's lines as paragraphs of a new document. */
static jk_status sample_document(jk_context *ctx, const char *text,
                                 size_t size, jk_document **out)
{
    jk_document *doc;
    jk_status st = jk_document_create(ctx, &doc);
    for (size_t at = 0; st == JK_OK && at < size;) {
        const char *nl = memchr(text + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - text) : size;
        st = jk_document_add_block(doc, JK_BLOCK_PARAGRAPH, text + at,
                                   end - at, NULL, 0);
        at = end + 1;
    }
    if (st != JK_OK) {
        jk_document_destroy(doc);
        return st;
    }
    *out = doc;
    return JK_OK;
}

jk_status jk_context_render_sample(jk_context *ctx, const char *text,
                                   size_t size, const jk_settings *settings,
                                   const jk_render_options *options,
                                   const jk_surface *surface, int *height)
{
    jk__clear_error(ctx);
    if (!ctx || (!text && size) || !settings)
        return JK_ERR_INVALID_ARGUMENT;
    /* The caller's settings as any version of the struct gives them
     * (checked by the layout), on a page as tall as can be, with no top
     * or bottom margin and no running bands. */
    jk_settings s;
    jk_settings_init(&s);
    if (!jk__struct_read(&s, sizeof s, settings, settings->struct_size,
                         JK__SETTINGS_1_0))
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "settings of %zu bytes: set struct_size with "
                        "jk_settings_init", settings->struct_size);
    s.struct_size = sizeof s;
    s.page_height = JK__MAX_PAGE_SIDE;
    s.margin_top = s.margin_bottom = 0;
    s.header = s.footer = 0;

    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    jk_status st = sample_document(ctx, text ? text : "", size, &doc);
    if (st == JK_OK)
        st = jk_layout_create(doc, &s, &layout);
    if (st == JK_OK && height) {
        /* The bottom of the last line box on the first page. */
        double bottom = 0;
        size_t lines = layout->page_count ? layout->pages[0].line_count : 0;
        if (lines) {
            const jk__line *l = &layout->lines[lines - 1];
            bottom = l->top + l->height;
        }
        *height = (int)ceil(bottom);
    }
    if (st == JK_OK && surface)
        st = jk_layout_render_page_ex(layout, 0, surface, options, NULL);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    return st;
}
