/* The html reader: not built yet. */
#include "document.h"
#include "memory.h"
#include "reader.h"

jk_status jk__read_html(jk_document *doc, const char *bytes, size_t size,
                        const jk_read_options *options)
{
    (void)bytes;
    (void)size;
    (void)options;
    return jk__fail(doc->ctx, JK_ERR_UNSUPPORTED, "html: not built");
}
