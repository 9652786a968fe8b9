/* jikji — the command-line tool: a thin program on the public API.
 *
 *   jikji render INPUT [-o PATTERN] [options]   one PNG per page
 *   jikji layout INPUT --json [options]         the layout as JSON
 *   jikji fb INPUT --fb PATH [--page N] [options] a page into a framebuffer
 *   jikji preview INPUT -o SHEET [options]      sizes side by side (preview.c)
 *   jikji hit INPUT --page N --at X,Y           the word at a point
 *   jikji locate INPUT --offset B               the page and line of a byte
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fb.h>
#endif

#include "cli.h"
#include "jikji.h"

#ifndef JK_FONT_DIR_INSTALLED
#define JK_FONT_DIR_INSTALLED "/usr/local/share/jikji/fonts"
#endif
#ifndef JK_FONT_DIR_SOURCE
#define JK_FONT_DIR_SOURCE "fonts"
#endif

static void usage(FILE *out)
{
    fprintf(out,
        "Usage: jikji render INPUT [-o PATTERN] [OPTIONS]\n"
        "       jikji layout INPUT --json [OPTIONS]\n"
        "       jikji fb INPUT --fb PATH [--page N] [OPTIONS]\n"
        "       jikji preview INPUT -o SHEET.png [--scales LIST] [OPTIONS]\n"
        "       jikji preview [INPUT] --sample [TEXT] -o SHEET.png [OPTIONS]\n"
        "       jikji hit INPUT --page N --at X,Y [OPTIONS]\n"
        "       jikji locate INPUT --offset B [OPTIONS]\n"
        "\n"
        "Typesets a Korean/Latin article into e-ink pages.\n"
        "INPUT is a UTF-8 file (plain text, HTML or Markdown, by its\n"
        "extension or --format), or - for standard input.\n"
        "\n"
        "Commands:\n"
        "  render             write one PNG per page and print the page count\n"
        "  layout --json      print the pages and lines as JSON\n"
        "  fb                 draw a page into a Linux framebuffer (or a\n"
        "                     file) and print its dirty rectangle\n"
        "  preview            the page holding --at at each size step, side\n"
        "                     by side in one PNG (-o, default preview.png),\n"
        "                     labelled; prints the rows 'scale pt pages page'\n"
        "  hit                the byte offset, the word's byte range and the\n"
        "                     word at a point of a page; 'miss' (status 1)\n"
        "                     where no line is\n"
        "  locate             the page and line holding a byte offset\n"
        "\n"
        "Options:\n"
        "  -o, --output PATTERN   PNG file names, with one %%d (default\n"
        "                         page-%%03d.png); pages count from 1\n"
        "  --device NAME          page size and dpi of a device (default\n"
        "                         kobo-clara); see the list below\n"
        "  --size WxH             page size in pixels (instead of a device)\n"
        "  --dpi N                pixels per inch\n"
        "  --font-size PT         body size in points (default 10)\n"
        "  --scale F              multiply every size by F (default 1)\n"
        "  --margin PX | T,R,B,L  margins in pixels (default 0.22 inch)\n"
        "  --line-height F        line height, times the font size (1.7)\n"
        "  --align justify|left   paragraph alignment (default justify)\n"
        "  --word-break keep-all|normal|auto\n"
        "                         Korean line breaking (default auto)\n"
        "  --format html|md|txt   the input's format (default: by the\n"
        "                         extension .html .htm .xhtml .md .markdown;\n"
        "                         else, and for -, plain text)\n"
        "  --no-images            figures as placeholders, no image read\n"
        "  --images-anywhere      images also from outside the article's\n"
        "                         folder (never from the network)\n"
        "  --fonts DIR            folder of the bundled fonts (default:\n"
        "                         $JIKJI_FONT_DIR, then the installed ones)\n"
        "  --json                 (layout) print JSON\n"
        "  --stats                print quality figures to stderr\n"
        "\nComposition:\n"
        "  --breaker optimal|greedy  total-fit paragraphs or first-fit\n"
        "                         lines (default optimal)\n"
        "  --hyphenate, --no-hyphenate  Latin hyphenation (default on when\n"
        "                         the patterns are installed: hyphen-en-us)\n"
        "  --hang-punctuation     let . , and closing quotes hang into the\n"
        "                         right margin\n"
        "  --indent EM            first-line indent of paragraphs (0)\n"
        "  --widows N, --orphans N  fewest lines of a paragraph at a page's\n"
        "                         top and foot (default 2 and 2)\n"
        "  --header, --footer     running header (the title) and footer\n"
        "                         (n / N)\n"
        "\nDrawing (render, fb):\n"
        "  --hinting none|light|normal  outline hinting (default light)\n"
        "  --darken F             embolden strokes by F pixels, 0..1 (0)\n"
        "  --gamma G              coverage curve; >1 darker edges (1)\n"
        "  --gray 256|16|4|2      gray levels; PNGs get the matching bit\n"
        "                         depth 8|4|2|1 (default 256)\n"
        "  --dither none|ordered|fs  dithering to the gray levels (none)\n"
        "  --invert               white on black (night mode)\n"
        "  --png-compression N    zlib level 0 (stored) .. 9 (default 1)\n"
        "  -j, --jobs N           (render, preview) threads drawing pages\n"
        "                         (default: every core); the files are\n"
        "                         the same whatever N\n"
        "  --highlight S,E        (render) shade source bytes [S, E)\n"
        "\nPreview:\n"
        "  --scales LIST          scale steps (default\n"
        "                         0.8,0.9,1,1.1,1.25,1.5,1.75,2)\n"
        "  --font-sizes LIST      body sizes in points instead of scales\n"
        "  --at OFFSET            the source byte each panel shows (0)\n"
        "  --sheet-width PX       the sheet's width (default: pages at half\n"
        "                         size, samples at full size)\n"
        "  --columns N            panels a row (default: up to 4)\n"
        "  --sample [TEXT]        a sample text at each step instead of a\n"
        "                         page, wrapped to the device's measure\n"
        "                         (without TEXT: a Korean/Latin sentence)\n"
        "\nReader (hit, locate; --page also render and fb):\n"
        "  --page N               page number, from 1 (default 1; render:\n"
        "                         only that page, -o a name or a pattern)\n"
        "  --at X,Y               (hit) the point, page pixels\n"
        "  --offset B             (locate) a source byte offset\n"
        "  --json                 print JSON\n"
        "\nFramebuffer (fb):\n"
        "  --fb PATH              device or file; the page fills it\n"
        "  --fb-geometry WxH      size of a file or of a device without\n"
        "                         the fbdev ioctls\n"
        "  --fb-bpp 1|4|8|16|32   its bits a pixel: mono, gray4, gray8,\n"
        "                         RGB565, XRGB8888\n"
        "  --fb-stride N          bytes a row (default: the row size)\n"
        "  --fb-rotate 0|90|180|270  panel mounting (default: the device's)\n"
        "  -h, --help             show this help\n"
        "  --version              show the version\n"
        "\nDevices:\n");
    for (size_t i = 0; i < jk_device_count(); i++) {
        const jk_device *d = jk_device_get(i);
        fprintf(out, "  %-14s %4d x %4d @ %d ppi  %s\n", d->name, d->width,
                d->height, d->dpi, d->description);
    }
}

/* An option's value by its name in the library's table; -1 (after the
 * usage message) when it has none, with the names it has. */
static int parse_name(jk_name_set set, const char *option, const char *arg,
                      int *value)
{
    if (jk_value_of(set, arg, value) == JK_OK)
        return 0;
    char list[256] = "";
    for (int i = 0; jk_name_of(set, i); i++) {
        if (i)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, jk_name_of(set, i), sizeof list - strlen(list) - 1);
    }
    fail_usage("bad --%s '%s' (want %s)", option, arg, list);
    return -1;
}

int fail_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("jikji: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'jikji --help'.\n", stderr);
    return EXIT_USAGE;
}

int fail_runtime(const char *fmt, ...)
{
    va_list ap;
    fputs("jikji: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_RUNTIME;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < -1000000 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

/* "PX" or "T,R,B,L". */
static int parse_margins(const char *s, jk_settings *st)
{
    int v[4], n = 0;
    char buf[128];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == 4 || parse_int(tok, &v[n]) || v[n] < 0)
            return -1;
        n++;
    }
    if (n == 1)
        v[1] = v[2] = v[3] = v[0];
    else if (n != 4)
        return -1;
    st->margin_top = v[0];
    st->margin_right = v[1];
    st->margin_bottom = v[2];
    st->margin_left = v[3];
    return 0;
}

/* "A,B" into two numbers. */
static int parse_pair(const char *s, double *a, double *b)
{
    const char *comma = strchr(s, ',');
    char first[64];
    if (!comma || (size_t)(comma - s) >= sizeof first)
        return -1;
    memcpy(first, s, (size_t)(comma - s));
    first[comma - s] = '\0';
    return parse_double(first, a) || parse_double(comma + 1, b) ? -1 : 0;
}

/* A non-negative whole number of bytes. */
static int parse_offset(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

/* "0.8,0.9,1" into at most `cap` positive numbers. */
enum { MAX_STEPS = 64 };
static int parse_list(const char *s, double *out, size_t cap, size_t *count)
{
    char buf[1024];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    *count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (*count == cap || parse_double(tok, &out[*count]) ||
            !(out[*count] > 0))
            return -1;
        (*count)++;
    }
    return *count ? 0 : -1;
}

/* A PNG name pattern must hold exactly one integer conversion: %d or
 * %0Nd (or none, for one page: `single`); "%%" is a percent sign.
 * Formatted by hand, never by printf. */
static int check_pattern(const char *p, bool single)
{
    int conversions = 0;
    for (const char *s = p; *s; s++) {
        if (*s != '%')
            continue;
        s++;
        if (*s == '%')
            continue;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s != 'd')
            return -1;
        conversions++;
    }
    return conversions == 1 || (single && conversions == 0) ? 0 : -1;
}

void format_pattern(const char *p, int number, char *out, size_t size)
{
    size_t n = 0;
    for (const char *s = p; *s && n + 1 < size; s++) {
        if (*s != '%') {
            out[n++] = *s;
            continue;
        }
        s++;
        if (*s == '%') {
            out[n++] = '%';
            continue;
        }
        int width = 0;
        bool zero = *s == '0';
        while (*s >= '0' && *s <= '9')
            width = width * 10 + (*s++ - '0');
        if (width > 32)
            width = 32;
        char digits[64];
        int len = snprintf(digits, sizeof digits, zero ? "%0*d" : "%*d",
                           width, number);
        for (int i = 0; i < len && n + 1 < size; i++)
            out[n++] = digits[i];
    }
    out[n] = '\0';
}

static char *read_input(const char *path, size_t *size)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap) {
            if (ferror(fp)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (fp != stdin)
        fclose(fp);
    *size = n;
    return buf;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static const char *font_dir(const char *option)
{
    if (option)
        return option;
    const char *env = getenv("JIKJI_FONT_DIR");
    if (env && *env)
        return env;
    if (file_exists(JK_FONT_DIR_INSTALLED "/NanumMyeongjo.ttf"))
        return JK_FONT_DIR_INSTALLED;
    return JK_FONT_DIR_SOURCE;
}

/* ------------------------------------------------------------------ JSON */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void print_stats(FILE *out, const jk_layout *layout, bool json)
{
    jk_layout_stats t;
    if (jk_layout_get_stats(layout, &t) != JK_OK)
        return;
    fprintf(out,
            json ? "{\"lines\": %zu, \"max_ratio\": %.4f, "
                   "\"mean_abs_ratio\": %.4f, \"loose_lines\": %zu, "
                   "\"tight_lines\": %zu, \"hyphens\": %zu, "
                   "\"syllable_breaks\": %zu, \"widows\": %zu, "
                   "\"orphans\": %zu, \"overfull\": %zu}"
                 : "lines %zu, max ratio %.4f, mean |ratio| %.4f, loose %zu, "
                   "tight %zu, hyphens %zu, syllable breaks %zu, widows %zu, "
                   "orphans %zu, overfull %zu\n",
            t.lines, t.max_ratio, t.mean_abs_ratio, t.loose_lines,
            t.tight_lines, t.hyphens, t.syllable_breaks, t.widows, t.orphans,
            t.overfull);
}

/* A line's inline styles, its links' targets, and its block's structure,
 * as JSON fields after the line's others. */
static void json_structure(FILE *out, const jk_document *doc,
                           const jk_layout *layout, size_t p, size_t i,
                           const jk_line_info *li)
{
    static const char *const names[8] = {"bold", "italic", "code", "link",
                                         "sub", "sup", "strike",
                                         "underline"};
    jk_span spans[64];
    size_t n = jk_layout_line_spans(layout, p, i, spans, 64);
    jk_span *all = spans;
    if (n > 64 && (all = malloc(n * sizeof *all)) != NULL)
        n = jk_layout_line_spans(layout, p, i, all, n);
    else if (n > 64)
        n = 64, all = spans;
    fputs(", \"spans\": [", out);
    for (size_t k = 0; k < n; k++) {
        unsigned bit = 0;
        while (bit < 8 && !(all[k].style & (1u << bit)))
            bit++;
        fprintf(out, "%s{\"start\": %zu, \"end\": %zu, \"style\": \"%s\"",
                k ? ", " : "", all[k].start, all[k].end,
                bit < 8 ? names[bit] : "?");
        const char *href = all[k].style & JK_STYLE_LINK
                               ? jk_document_link_at(doc, all[k].start)
                               : NULL;
        if (href) {
            fputs(", \"href\": ", out);
            json_string(out, href);
        }
        fputc('}', out);
    }
    fputc(']', out);
    if (all != spans)
        free(all);
    jk_block_attrs a;
    if (jk_document_get_block_attrs(doc, li->block, &a) != JK_OK)
        return;
    if (li->kind == JK_BLOCK_HEADING)
        fprintf(out, ", \"level\": %d", a.level);
    if (a.list_depth > 0) {
        fprintf(out, ", \"depth\": %d, \"marker\": ", a.list_depth);
        jk_block_info bi; /* the marker is on the item's first line */
        if (a.marker && jk_document_get_block(doc, li->block, &bi) == JK_OK &&
            bi.start == li->start)
            json_string(out, a.marker);
        else
            fputs("null", out);
    }
    if (a.quote_depth > 0)
        fprintf(out, ", \"quote_depth\": %d", a.quote_depth);
}

/* A page's figures as a JSON field. */
static void json_figures(FILE *out, const jk_document *doc,
                         const jk_layout *layout, size_t p)
{
    static const char *const status[] = {"ok", "missing", "corrupt",
                                         "refused"};
    fputs(", \"figures\": [", out);
    size_t shown = 0;
    /* Drawn images, then placeholders (set as lines) on this page. */
    jk_figure_place places[32];
    size_t n = jk_layout_page_figures(layout, p, places, 32);
    for (size_t k = 0; k < n && k < 32; k++) {
        jk_figure_info fi;
        if (jk_document_get_figure(doc, places[k].figure, &fi) != JK_OK)
            continue;
        fprintf(out, "%s{\"x\": %d, \"y\": %d, \"width\": %d, "
                     "\"height\": %d, \"start\": %zu, \"end\": %zu, "
                     "\"src\": ",
                shown++ ? ", " : "", places[k].x, places[k].y,
                places[k].width, places[k].height, fi.start, fi.end);
        json_string(out, fi.src);
        fprintf(out, ", \"status\": \"%s\"}", status[fi.status]);
    }
    for (size_t i = 0; i < jk_layout_line_count(layout, p); i++) {
        jk_line_info li;
        jk_block_attrs a;
        if (jk_layout_get_line(layout, p, i, &li) != JK_OK ||
            li.kind != JK_BLOCK_FIGURE ||
            jk_document_get_block_attrs(doc, li.block, &a) != JK_OK ||
            a.figure < 0)
            continue;
        jk_figure_info fi;
        if (jk_document_get_figure(doc, (size_t)a.figure, &fi) != JK_OK ||
            fi.status == JK_IMAGE_OK)
            continue;
        /* a placeholder: its frame is the block's lines on this page */
        size_t e = i;
        jk_line_info last = li;
        while (e + 1 < jk_layout_line_count(layout, p) &&
               jk_layout_get_line(layout, p, e + 1, &last) == JK_OK &&
               last.block == li.block)
            e++;
        jk_layout_get_line(layout, p, e, &last);
        fprintf(out, "%s{\"x\": %d, \"y\": %d, \"width\": %d, "
                     "\"height\": %d, \"start\": %zu, \"end\": %zu, "
                     "\"src\": ",
                shown++ ? ", " : "", (int)lround(li.x), (int)lround(li.top),
                (int)lround(li.width),
                (int)lround(last.top + last.height - li.top), fi.start,
                fi.end);
        json_string(out, fi.src);
        fprintf(out, ", \"status\": \"%s\"}", status[fi.status]);
        i = e;
    }
    fputc(']', out);
}

static int print_json(FILE *out, const jk_document *doc,
                      const jk_layout *layout, const jk_settings *st,
                      size_t source_bytes)
{
    size_t cap = 256;
    char *text = malloc(cap);
    if (!text)
        return -1;
    fprintf(out,
            "{\"page\": {\"width\": %d, \"height\": %d, \"dpi\": %d},\n"
            " \"font_size_pt\": %g, \"source_bytes\": %zu,\n \"stats\": ",
            st->page_width, st->page_height, st->dpi, st->font_size_pt,
            source_bytes);
    print_stats(out, layout, true);
    fputs(",\n \"pages\": [", out);
    size_t pages = jk_layout_page_count(layout);
    for (size_t p = 0; p < pages; p++) {
        char running[1024];
        fprintf(out, "%s\n  {\"index\": %zu, \"header\": ", p ? "," : "", p);
        jk_layout_page_header(layout, p, running, sizeof running);
        json_string(out, running);
        fputs(", \"footer\": ", out);
        jk_layout_page_footer(layout, p, running, sizeof running);
        json_string(out, running);
        fputs(", \"lines\": [", out);
        size_t lines = jk_layout_line_count(layout, p);
        for (size_t i = 0; i < lines; i++) {
            jk_line_info li;
            if (jk_layout_get_line(layout, p, i, &li) != JK_OK)
                continue;
            size_t len = jk_layout_line_text(layout, p, i, text, cap);
            if (len >= cap) {
                char *bigger = realloc(text, len + 1);
                if (!bigger) {
                    free(text);
                    return -1;
                }
                text = bigger;
                cap = len + 1;
                jk_layout_line_text(layout, p, i, text, cap);
            }
            fprintf(out,
                    "%s\n    {\"block\": %zu, \"kind\": \"%s\", \"start\": "
                    "%zu, \"end\": %zu, \"text\": ",
                    i ? "," : "", li.block, jk_block_kind_name(li.kind),
                    li.start, li.end);
            json_string(out, text);
            fprintf(out,
                    ", \"x\": %.2f, \"y\": %.2f, \"width\": %.2f, "
                    "\"height\": %.2f, \"ratio\": %.4f, \"hyphenated\": %s, "
                    "\"last\": %s",
                    li.x, li.y, li.width, li.height, li.ratio,
                    li.hyphenated ? "true" : "false",
                    li.last ? "true" : "false");
            json_structure(out, doc, layout, p, i, &li);
            fputc('}', out);
        }
        fputs(lines ? "\n  ]" : "]", out);
        json_figures(out, doc, layout, p);
        fputc('}', out);
    }
    fputs("\n ]\n}\n", out);
    free(text);
    return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------- PNG */

int write_file(void *user, const void *data, size_t size)
{
    return fwrite(data, 1, size, user) == size ? 0 : -1;
}

/* The article's title, for the PNG Title chunk; caller frees. */
static char *article_title(const jk_document *doc)
{
    jk_block_info bi;
    if (jk_document_get_block(doc, 0, &bi) != JK_OK ||
        bi.kind != JK_BLOCK_TITLE)
        return NULL;
    size_t n = jk_document_block_text(doc, 0, NULL, 0);
    char *t = malloc(n + 1);
    if (t)
        jk_document_block_text(doc, 0, t, n + 1);
    return t;
}

/* Every page, or only page `only` (from 1) when it is not 0. */
static int render_pages(jk_context *ctx, jk_layout *layout,
                        const jk_settings *st, const char *pattern,
                        const jk_render_options *ro, jk_png_options *po,
                        const size_t *highlight_range, int only, int threads)
{
    size_t pages = jk_layout_page_count(layout);
    if (only > 0 && (size_t)only > pages)
        return fail_usage("--page %d: the article has %zu pages", only,
                          pages);
    export_job job = {ctx, layout, st, pattern, ro, po,
                      only > 0 ? (size_t)only - 1 : 0,
                      only > 0 ? (size_t)only : pages, threads,
                      highlight_range};
    int rc = export_pages(&job);
    if (!rc)
        printf("%zu pages\n", pages);
    return rc;
}

/* ---------------------------------------------------------- formats */

/* The format a file's name says: .html .htm .xhtml, .md .markdown, else
 * plain text (and standard input, without --format). */
static int format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return JK_FORMAT_TEXT;
    static const struct {
        const char *ext;
        int format;
    } map[] = {{".html", JK_FORMAT_HTML}, {".htm", JK_FORMAT_HTML},
               {".xhtml", JK_FORMAT_HTML}, {".md", JK_FORMAT_MARKDOWN},
               {".markdown", JK_FORMAT_MARKDOWN}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(dot, map[i].ext))
            return map[i].format;
    return JK_FORMAT_TEXT;
}

/* Images come from the article's folder: never from a network address,
 * and never from outside that folder unless --images-anywhere. */
typedef struct image_folder {
    char *root; /* the folder, resolved */
    bool anywhere;
} image_folder;

static char *folder_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    char *slash = strrchr(copy, '/');
    if (slash)
        *slash = '\0';
    char *real = realpath(slash ? (*copy ? copy : "/") : ".", NULL);
    free(copy);
    return real;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Whether the path (from a folder) goes above it: more ".." components
 * than the names before them. */
static bool climbs_out(const char *p)
{
    long depth = 0;
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return true;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
    }
    return false;
}

static jk_image_status load_image(void *user, const char *src,
                                  const void **data, size_t *size)
{
    const image_folder *f = user;
    /* A scheme ("https:", "file:") is a network or a place elsewhere. */
    for (const char *p = src; *p && *p != '/' && *p != '?' && *p != '#';
         p++)
        if (*p == ':')
            return JK_IMAGE_REFUSED;
    if (!f->root || (src[0] == '/' && !f->anywhere))
        return JK_IMAGE_REFUSED;
    /* The path: without query or fragment, percent-decoded. */
    size_t n = strcspn(src, "?#");
    char *path = malloc(strlen(f->root) + n + 2);
    if (!path)
        return JK_IMAGE_MISSING;
    size_t w = (size_t)sprintf(path, "%s/", src[0] == '/' ? "" : f->root);
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '%' && i + 2 < n && hex(src[i + 1]) >= 0 &&
            hex(src[i + 2]) >= 0) {
            path[w++] = (char)(hex(src[i + 1]) * 16 + hex(src[i + 2]));
            i += 2;
        } else {
            path[w++] = src[i];
        }
    }
    path[w] = '\0';
    /* A relative path that climbs out of the folder is refused as written,
     * whether or not the file is there (nothing outside is even probed). */
    if (!f->anywhere && src[0] != '/' && climbs_out(path + strlen(f->root))) {
        free(path);
        return JK_IMAGE_REFUSED;
    }
    char *real = realpath(path, NULL);
    free(path);
    if (!real)
        return JK_IMAGE_MISSING;
    size_t root = strlen(f->root);
    bool inside = !strncmp(real, f->root, root) &&
                  (real[root] == '/' || !strcmp(f->root, "/"));
    if (!inside && !f->anywhere) {
        free(real);
        return JK_IMAGE_REFUSED;
    }
    struct stat sb;
    if (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        free(real);
        return JK_IMAGE_MISSING;
    }
    char *bytes = read_input(real, size);
    free(real);
    if (!bytes)
        return JK_IMAGE_MISSING;
    *data = bytes;
    return JK_IMAGE_OK;
}

static void unload_image(void *user, const void *data, size_t size)
{
    (void)user;
    (void)size;
    free((void *)data);
}

/* A warning for every figure without its image. */
static void warn_figures(const char *input, const jk_document *doc)
{
    static const char *const why[] = {"ok", "missing", "corrupt", "refused"};
    for (size_t i = 0; i < jk_document_figure_count(doc); i++) {
        jk_figure_info fi;
        if (jk_document_get_figure(doc, i, &fi) == JK_OK &&
            fi.status != JK_IMAGE_OK)
            fprintf(stderr, "jikji: %s: image %s: %s (a placeholder is "
                            "set)\n", input, *fi.src ? fi.src : "(no src)",
                    why[fi.status]);
    }
}

/* ---------------------------------------------------------- hit, locate */

/* The word at (x, y) of page `page` (from 1): its byte offset, the word's
 * byte range and the word itself, from the input as given. */
static int hit(jk_context *ctx, const jk_document *doc,
               const jk_layout *layout, const char *bytes, int page,
               double x, double y, bool json)
{
    size_t pages = jk_layout_page_count(layout);
    if (page < 1 || (size_t)page > pages)
        return fail_usage("--page %d: the article has %zu pages", page,
                          pages);
    size_t offset, start, end;
    jk_status s = jk_layout_hit_test(layout, (size_t)page - 1, x, y, &offset);
    if (s == JK_ERR_NOT_FOUND) {
        if (json)
            printf("{\"page\": %d, \"x\": %g, \"y\": %g, \"offset\": "
                   "null, \"word\": null}\n", page, x, y);
        else
            printf("miss\n");
        return EXIT_RUNTIME;
    }
    if (s != JK_OK)
        return fail_runtime("%s", jk_context_errmsg(ctx));
    bool word = jk_document_word_at(doc, offset, &start, &end) == JK_OK;
    char *text = NULL;
    if (word) {
        text = malloc(end - start + 1);
        if (!text)
            return fail_runtime("out of memory");
        memcpy(text, bytes + start, end - start);
        text[end - start] = '\0';
    }
    if (json) {
        printf("{\"page\": %d, \"x\": %g, \"y\": %g, \"offset\": %zu, "
               "\"word\": ", page, x, y, offset);
        if (word) {
            printf("{\"start\": %zu, \"end\": %zu, \"text\": ", start, end);
            json_string(stdout, text);
            printf("}}\n");
        } else {
            printf("null}\n");
        }
    } else {
        printf("offset %zu\n", offset);
        if (word)
            printf("word %zu %zu %s\n", start, end, text);
        else
            printf("word none\n");
    }
    free(text);
    return 0;
}

/* The page and line (from 1) holding byte `offset`. */
static int locate(jk_context *ctx, const jk_layout *layout, size_t offset,
                  bool json)
{
    size_t page, line;
    if (jk_layout_locate(layout, offset, &page, &line) != JK_OK)
        return fail_runtime("%s", jk_context_errmsg(ctx));
    jk_line_info li;
    if (jk_layout_get_line(layout, page, line, &li) != JK_OK)
        return fail_runtime("%s", jk_context_errmsg(ctx));
    if (json)
        printf("{\"offset\": %zu, \"page\": %zu, \"line\": %zu, "
               "\"pages\": %zu, \"start\": %zu, \"end\": %zu}\n",
               offset, page + 1, line + 1, jk_layout_page_count(layout),
               li.start, li.end);
    else
        printf("page %zu line %zu\n", page + 1, line + 1);
    return 0;
}

/* ----------------------------------------------------------- framebuffer */

/* A framebuffer (or a file standing for one) mapped into memory. */
typedef struct fb_target {
    int fd;
    void *map;
    size_t map_size;
    jk_surface sf;
} fb_target;

typedef struct fb_request {
    const char *path;
    int width, height, bpp, stride, rotate; /* 0 / -1: not given */
} fb_request;

static jk_pixel_format format_for_bpp(int bpp)
{
    switch (bpp) {
    case 1: return JK_PIXEL_MONO1;
    case 4: return JK_PIXEL_GRAY4;
    case 8: return JK_PIXEL_GRAY8;
    case 16: return JK_PIXEL_RGB565;
    default: return JK_PIXEL_XRGB8888;
    }
}

/* Open and map; returns 0, or an exit status after printing. */
static int fb_open(const fb_request *rq, fb_target *fb)
{
    memset(fb, 0, sizeof *fb);
    /* a file standing for a framebuffer may be new */
    fb->fd = open(rq->path, O_RDWR | (rq->width > 0 ? O_CREAT : 0), 0644);
    if (fb->fd < 0)
        return fail_runtime("cannot open %s: %s", rq->path, strerror(errno));
    size_t offset = 0;
    bool device = false;
#ifdef __linux__
    struct fb_var_screeninfo var;
    struct fb_fix_screeninfo fix;
    if (ioctl(fb->fd, FBIOGET_VSCREENINFO, &var) == 0 &&
        ioctl(fb->fd, FBIOGET_FSCREENINFO, &fix) == 0) {
        device = true;
        fb->sf.width = (int)var.xres;
        fb->sf.height = (int)var.yres;
        fb->sf.stride = (int)fix.line_length;
        fb->sf.format = format_for_bpp((int)var.bits_per_pixel);
        if (var.bits_per_pixel == 32 && var.transp.length == 8 &&
            var.transp.offset == 0)
            fb->sf.format = JK_PIXEL_BGRA8888; /* alpha in the low byte */
        fb->sf.rotation = (int)(var.rotate % 4) * 90;
        offset = (size_t)var.yoffset * fix.line_length +
                 (size_t)var.xoffset * var.bits_per_pixel / 8;
        fb->map_size = fix.smem_len;
        if (var.bits_per_pixel != 1 && var.bits_per_pixel != 4 &&
            var.bits_per_pixel != 8 && var.bits_per_pixel != 16 &&
            var.bits_per_pixel != 32)
            return fail_runtime("%s: %u bits a pixel is not supported",
                                rq->path, var.bits_per_pixel);
    }
#endif
    if (!device) {
        if (rq->width <= 0 || rq->bpp <= 0)
            return fail_usage("%s has no framebuffer ioctls: give "
                              "--fb-geometry WxH and --fb-bpp", rq->path);
        fb->sf.width = rq->width;
        fb->sf.height = rq->height;
        fb->sf.format = format_for_bpp(rq->bpp);
        size_t row = jk_surface_row_bytes(fb->sf.format, rq->width);
        fb->sf.stride = rq->stride > 0 ? rq->stride : (int)row;
        if ((size_t)fb->sf.stride < row)
            return fail_usage("--fb-stride %d is less than a row (%zu)",
                              rq->stride, row);
        fb->map_size = (size_t)fb->sf.stride * (size_t)rq->height;
        struct stat sb;
        if (fstat(fb->fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
            (size_t)sb.st_size < fb->map_size &&
            ftruncate(fb->fd, (off_t)fb->map_size) != 0)
            return fail_runtime("cannot size %s: %s", rq->path,
                                strerror(errno));
    }
    if (rq->rotate >= 0)
        fb->sf.rotation = rq->rotate;
    if (offset + (size_t)fb->sf.stride * (size_t)fb->sf.height >
        fb->map_size)
        return fail_runtime("%s: the visible area lies outside its memory",
                            rq->path);
    fb->map = mmap(NULL, fb->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   fb->fd, 0);
    if (fb->map == MAP_FAILED) {
        fb->map = NULL;
        return fail_runtime("cannot map %s: %s", rq->path, strerror(errno));
    }
    fb->sf.pixels = (uint8_t *)fb->map + offset;
    return 0;
}

static void fb_close(fb_target *fb)
{
    if (fb->map) {
        msync(fb->map, fb->map_size, MS_SYNC);
        munmap(fb->map, fb->map_size);
    }
    if (fb->fd > 0)
        close(fb->fd);
    fb->map = NULL;
    fb->fd = -1;
}

static int fb_draw(jk_context *ctx, jk_layout *layout, fb_target *fb,
                   int page, const jk_render_options *ro)
{
    size_t pages = jk_layout_page_count(layout);
    if (page < 1 || (size_t)page > pages)
        return fail_usage("--page %d: the article has %zu pages", page,
                          pages);
    jk_rect dirty;
    if (jk_layout_render_page_ex(layout, (size_t)page - 1, &fb->sf, ro,
                                 &dirty) != JK_OK)
        return fail_runtime("page %d: %s", page, jk_context_errmsg(ctx));
    if (dirty.width > 0)
        printf("dirty %d %d %d %d\n", dirty.x, dirty.y, dirty.width,
               dirty.height);
    else
        printf("dirty none\n");
    return 0;
}

/* ------------------------------------------------------------------ main */

enum {
    OPT_DEVICE = 256, OPT_SIZE, OPT_DPI, OPT_FONT_SIZE, OPT_SCALE,
    OPT_MARGIN, OPT_LINE_HEIGHT, OPT_ALIGN, OPT_WORD_BREAK, OPT_FONTS,
    OPT_JSON, OPT_VERSION,
    OPT_HINTING, OPT_DARKEN, OPT_GAMMA, OPT_GRAY, OPT_DITHER, OPT_INVERT,
    OPT_PNG_COMPRESSION, OPT_FB, OPT_PAGE, OPT_FB_GEOMETRY, OPT_FB_BPP,
    OPT_FB_STRIDE, OPT_FB_ROTATE,
    OPT_BREAKER, OPT_HYPHENATE, OPT_NO_HYPHENATE, OPT_HANG, OPT_WIDOWS,
    OPT_ORPHANS, OPT_HEADER, OPT_FOOTER, OPT_STATS, OPT_INDENT,
    OPT_SCALES, OPT_FONT_SIZES, OPT_AT, OPT_SHEET_WIDTH, OPT_COLUMNS,
    OPT_SAMPLE, OPT_OFFSET, OPT_HIGHLIGHT, OPT_FORMAT, OPT_NO_IMAGES,
    OPT_IMAGES_ANYWHERE,
};

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"device", required_argument, NULL, OPT_DEVICE},
        {"size", required_argument, NULL, OPT_SIZE},
        {"dpi", required_argument, NULL, OPT_DPI},
        {"font-size", required_argument, NULL, OPT_FONT_SIZE},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"margin", required_argument, NULL, OPT_MARGIN},
        {"line-height", required_argument, NULL, OPT_LINE_HEIGHT},
        {"align", required_argument, NULL, OPT_ALIGN},
        {"word-break", required_argument, NULL, OPT_WORD_BREAK},
        {"fonts", required_argument, NULL, OPT_FONTS},
        {"json", no_argument, NULL, OPT_JSON},
        {"breaker", required_argument, NULL, OPT_BREAKER},
        {"hyphenate", no_argument, NULL, OPT_HYPHENATE},
        {"no-hyphenate", no_argument, NULL, OPT_NO_HYPHENATE},
        {"hang-punctuation", no_argument, NULL, OPT_HANG},
        {"widows", required_argument, NULL, OPT_WIDOWS},
        {"orphans", required_argument, NULL, OPT_ORPHANS},
        {"header", no_argument, NULL, OPT_HEADER},
        {"footer", no_argument, NULL, OPT_FOOTER},
        {"stats", no_argument, NULL, OPT_STATS},
        {"indent", required_argument, NULL, OPT_INDENT},
        {"hinting", required_argument, NULL, OPT_HINTING},
        {"darken", required_argument, NULL, OPT_DARKEN},
        {"gamma", required_argument, NULL, OPT_GAMMA},
        {"gray", required_argument, NULL, OPT_GRAY},
        {"dither", required_argument, NULL, OPT_DITHER},
        {"invert", no_argument, NULL, OPT_INVERT},
        {"png-compression", required_argument, NULL, OPT_PNG_COMPRESSION},
        {"fb", required_argument, NULL, OPT_FB},
        {"page", required_argument, NULL, OPT_PAGE},
        {"fb-geometry", required_argument, NULL, OPT_FB_GEOMETRY},
        {"fb-bpp", required_argument, NULL, OPT_FB_BPP},
        {"fb-stride", required_argument, NULL, OPT_FB_STRIDE},
        {"fb-rotate", required_argument, NULL, OPT_FB_ROTATE},
        {"scales", required_argument, NULL, OPT_SCALES},
        {"font-sizes", required_argument, NULL, OPT_FONT_SIZES},
        {"at", required_argument, NULL, OPT_AT},
        {"sheet-width", required_argument, NULL, OPT_SHEET_WIDTH},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"sample", optional_argument, NULL, OPT_SAMPLE},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"highlight", required_argument, NULL, OPT_HIGHLIGHT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"jobs", required_argument, NULL, 'j'},
        {"no-images", no_argument, NULL, OPT_NO_IMAGES},
        {"images-anywhere", no_argument, NULL, OPT_IMAGES_ANYWHERE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    jk_settings st;
    jk_settings_init(&st);
    const char *pattern = "page-%03d.png", *fonts = NULL;
    int json = 0, stats = 0;
    int hyphenate = -1; /* -1: on when this build can */
    jk_render_options ro;
    jk_render_options_init(&ro);
    jk_png_options po;
    jk_png_options_init(&po);
    fb_request fbr = {NULL, 0, 0, 0, 0, -1};
    int fb_page = 1;
    bool page_given = false;
    static const double default_scales[] = {0.8, 0.9, 1, 1.1,
                                            1.25, 1.5, 1.75, 2};
    double steps[MAX_STEPS];
    memcpy(steps, default_scales, sizeof default_scales);
    preview_request pv = {steps, sizeof default_scales / sizeof *steps,
                          false, 0, 0, 0, NULL, NULL, 1};
    const char *at = NULL;  /* preview: OFFSET; hit: X,Y */
    size_t offset = 0;
    bool have_offset = false;
    size_t highlight_range[2];
    bool have_highlight = false;
    bool output_given = false;
    int format = -1; /* -1: by the file's extension */
    bool no_images = false, images_anywhere = false;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cores > 0 && cores < 256 ? (int)cores : 1; /* -j */
    int opt, v;
    opterr = 0;
    /* GNU getopt permutes: options may come before or after the command
     * and the input. */
    while ((opt = getopt_long(argc, argv, ":o:hj:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': pattern = optarg; output_given = true; break;
        case 'j':
            if (parse_int(optarg, &threads) || threads < 1 || threads > 256)
                return fail_usage("bad -j '%s' (want 1..256)", optarg);
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "txt") || !strcmp(optarg, "text"))
                format = JK_FORMAT_TEXT;
            else if (!strcmp(optarg, "html"))
                format = JK_FORMAT_HTML;
            else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
                format = JK_FORMAT_MARKDOWN;
            else
                return fail_usage("bad --format '%s' (want html, md or txt)",
                                  optarg);
            break;
        case OPT_NO_IMAGES: no_images = true; break;
        case OPT_IMAGES_ANYWHERE: images_anywhere = true; break;
        case OPT_SCALES:
        case OPT_FONT_SIZES:
            if (parse_list(optarg, steps, MAX_STEPS, &pv.step_count))
                return fail_usage("bad --%s '%s' (want up to %d positive "
                                  "numbers, comma-separated)",
                                  opt == OPT_SCALES ? "scales" : "font-sizes",
                                  optarg, MAX_STEPS);
            pv.font_sizes = opt == OPT_FONT_SIZES;
            break;
        case OPT_AT: at = optarg; break;
        case OPT_SHEET_WIDTH:
            if (parse_int(optarg, &pv.sheet_width) || pv.sheet_width < 64 ||
                pv.sheet_width > 32768)
                return fail_usage("bad --sheet-width '%s' (want 64..32768)",
                                  optarg);
            break;
        case OPT_COLUMNS:
            if (parse_int(optarg, &pv.columns) || pv.columns < 1 ||
                pv.columns > MAX_STEPS)
                return fail_usage("bad --columns '%s'", optarg);
            break;
        case OPT_SAMPLE:
            /* --sample TEXT, --sample=TEXT, or --sample alone (the
             * built-in text) when what follows is an option or nothing */
            if (!optarg && optind < argc && argv[optind][0] != '-')
                optarg = argv[optind++];
            pv.sample = optarg && *optarg ? optarg
                                          : preview_builtin_sample();
            break;
        case OPT_OFFSET:
            if (parse_offset(optarg, &offset))
                return fail_usage("bad --offset '%s'", optarg);
            have_offset = true;
            break;
        case OPT_HIGHLIGHT: {
            const char *comma = strchr(optarg, ',');
            char first[32];
            if (!comma || (size_t)(comma - optarg) >= sizeof first)
                return fail_usage("bad --highlight '%s' (want START,END)",
                                  optarg);
            memcpy(first, optarg, (size_t)(comma - optarg));
            first[comma - optarg] = '\0';
            if (parse_offset(first, &highlight_range[0]) ||
                parse_offset(comma + 1, &highlight_range[1]) ||
                highlight_range[1] < highlight_range[0])
                return fail_usage("bad --highlight '%s' (want START,END)",
                                  optarg);
            have_highlight = true;
            break;
        }
        case OPT_DEVICE: {
            const jk_device *d = jk_device_find(optarg);
            if (!d)
                return fail_usage("unknown device '%s'", optarg);
            jk_settings_set_device(&st, d);
            break;
        }
        case OPT_SIZE: {
            int w, h;
            char tail;
            if (sscanf(optarg, "%dx%d%c", &w, &h, &tail) != 2 || w <= 0 ||
                h <= 0)
                return fail_usage("bad --size '%s' (want WxH)", optarg);
            st.page_width = w;
            st.page_height = h;
            break;
        }
        case OPT_DPI:
            if (parse_int(optarg, &st.dpi) || st.dpi <= 0)
                return fail_usage("bad --dpi '%s'", optarg);
            break;
        case OPT_FONT_SIZE:
            if (parse_double(optarg, &st.font_size_pt) ||
                st.font_size_pt <= 0)
                return fail_usage("bad --font-size '%s'", optarg);
            break;
        case OPT_SCALE:
            if (parse_double(optarg, &st.scale) || st.scale <= 0)
                return fail_usage("bad --scale '%s'", optarg);
            break;
        case OPT_MARGIN:
            if (parse_margins(optarg, &st))
                return fail_usage("bad --margin '%s' (want PX or T,R,B,L)",
                                  optarg);
            break;
        case OPT_LINE_HEIGHT:
            if (parse_double(optarg, &st.line_height) || st.line_height <= 0)
                return fail_usage("bad --line-height '%s'", optarg);
            break;
        case OPT_ALIGN:
            if (parse_name(JK_NAMES_ALIGN, "align", optarg, &v))
                return EXIT_USAGE;
            st.align = (jk_align)v;
            break;
        case OPT_WORD_BREAK:
            if (parse_name(JK_NAMES_WORD_BREAK, "word-break", optarg, &v))
                return EXIT_USAGE;
            st.word_break = (jk_word_break)v;
            break;
        case OPT_FONTS: fonts = optarg; break;
        case OPT_JSON: json = 1; break;
        case OPT_BREAKER:
            if (parse_name(JK_NAMES_BREAKER, "breaker", optarg, &v))
                return EXIT_USAGE;
            st.breaker = (jk_breaker)v;
            break;
        case OPT_HYPHENATE: hyphenate = 1; break;
        case OPT_NO_HYPHENATE: hyphenate = 0; break;
        case OPT_HANG: st.hang_punctuation = 1; break;
        case OPT_WIDOWS:
            if (parse_int(optarg, &st.widows) || st.widows < 0)
                return fail_usage("bad --widows '%s'", optarg);
            break;
        case OPT_ORPHANS:
            if (parse_int(optarg, &st.orphans) || st.orphans < 0)
                return fail_usage("bad --orphans '%s'", optarg);
            break;
        case OPT_HEADER: st.header = 1; break;
        case OPT_FOOTER: st.footer = 1; break;
        case OPT_STATS: stats = 1; break;
        case OPT_INDENT:
            if (parse_double(optarg, &st.first_line_indent) ||
                st.first_line_indent < 0)
                return fail_usage("bad --indent '%s'", optarg);
            break;
        case OPT_HINTING:
            if (parse_name(JK_NAMES_HINTING, "hinting", optarg, &v))
                return EXIT_USAGE;
            ro.hinting = (jk_hinting)v;
            break;
        case OPT_DARKEN:
            if (parse_double(optarg, &ro.darken) || ro.darken < 0 ||
                ro.darken > 1)
                return fail_usage("bad --darken '%s' (want 0..1)", optarg);
            break;
        case OPT_GAMMA:
            if (parse_double(optarg, &ro.gamma) || ro.gamma < 0.1 ||
                ro.gamma > 10)
                return fail_usage("bad --gamma '%s' (want 0.1..10)", optarg);
            break;
        case OPT_GRAY:
            if (parse_int(optarg, &ro.gray_levels) || ro.gray_levels == 0 ||
                !(po.bit_depth = jk_png_depth_for_levels(ro.gray_levels)))
                return fail_usage("bad --gray '%s' (want 256, 16, 4 or 2)",
                                  optarg);
            break;
        case OPT_DITHER:
            if (parse_name(JK_NAMES_DITHER, "dither", optarg, &v))
                return EXIT_USAGE;
            ro.dither = (jk_dither)v;
            break;
        case OPT_INVERT: ro.invert = 1; break;
        case OPT_PNG_COMPRESSION: {
            int level;
            if (parse_int(optarg, &level) || level < 0 || level > 9)
                return fail_usage("bad --png-compression '%s' (want 0..9)",
                                  optarg);
            po.compression = level ? level : -1;
            break;
        }
        case OPT_FB: fbr.path = optarg; break;
        case OPT_PAGE:
            if (parse_int(optarg, &fb_page) || fb_page < 1)
                return fail_usage("bad --page '%s'", optarg);
            page_given = true;
            break;
        case OPT_FB_GEOMETRY: {
            int w, h;
            char tail;
            if (sscanf(optarg, "%dx%d%c", &w, &h, &tail) != 2 || w <= 0 ||
                h <= 0 || w > 32768 || h > 32768)
                return fail_usage("bad --fb-geometry '%s' (want WxH)",
                                  optarg);
            fbr.width = w;
            fbr.height = h;
            break;
        }
        case OPT_FB_BPP:
            if (parse_int(optarg, &fbr.bpp) ||
                (fbr.bpp != 1 && fbr.bpp != 4 && fbr.bpp != 8 &&
                 fbr.bpp != 16 && fbr.bpp != 32))
                return fail_usage("bad --fb-bpp '%s' (want 1, 4, 8, 16 or "
                                  "32)", optarg);
            break;
        case OPT_FB_STRIDE:
            if (parse_int(optarg, &fbr.stride) || fbr.stride <= 0)
                return fail_usage("bad --fb-stride '%s'", optarg);
            break;
        case OPT_FB_ROTATE:
            if (parse_int(optarg, &fbr.rotate) ||
                (fbr.rotate != 0 && fbr.rotate != 90 && fbr.rotate != 180 &&
                 fbr.rotate != 270))
                return fail_usage("bad --fb-rotate '%s' (want 0, 90, 180 or "
                                  "270)", optarg);
            break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: printf("jikji %s\n", jk_version()); return 0;
        case ':':
            return fail_usage("option '%s' needs a value", argv[optind - 1]);
        default:
            return fail_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fail_usage("missing command (render, layout, fb, preview, "
                          "hit or locate)");
    const char *command = argv[optind];
    bool render = !strcmp(command, "render");
    bool fb_cmd = !strcmp(command, "fb");
    bool preview_cmd = !strcmp(command, "preview");
    bool hit_cmd = !strcmp(command, "hit");
    bool locate_cmd = !strcmp(command, "locate");
    if (!render && !fb_cmd && !preview_cmd && !hit_cmd && !locate_cmd &&
        strcmp(command, "layout"))
        return fail_usage("unknown command '%s'", command);
    if (fb_cmd && !fbr.path)
        return fail_usage("fb needs --fb PATH");
    /* preview --sample needs no article */
    bool need_input = !(preview_cmd && pv.sample);
    if (need_input && optind + 1 >= argc)
        return fail_usage("missing INPUT");
    if (optind + 2 < argc)
        return fail_usage("unexpected argument '%s'", argv[optind + 2]);
    const char *input = optind + 1 < argc ? argv[optind + 1] : NULL;
    if (!strcmp(command, "layout") && !json)
        return fail_usage("layout prints JSON: add --json");
    if (render && check_pattern(pattern, page_given))
        return fail_usage("bad --output pattern '%s' (want one %%d)",
                          pattern);
    double hit_x = 0, hit_y = 0;
    if (hit_cmd && (!at || parse_pair(at, &hit_x, &hit_y)))
        return fail_usage("hit needs --at X,Y (page pixels)");
    if (preview_cmd) {
        if (at && parse_offset(at, &pv.at))
            return fail_usage("bad --at '%s' (want a byte offset)", at);
        pv.output = output_given ? pattern : "preview.png";
        pv.threads = threads;
    } else if (at && !hit_cmd) {
        return fail_usage("--at is for preview and hit");
    }
    if (locate_cmd && !have_offset)
        return fail_usage("locate needs --offset B");
    if (have_highlight && !render)
        return fail_usage("--highlight is for render");

    size_t size = 0;
    char *bytes = input ? read_input(input, &size) : NULL;
    if (input && !bytes)
        return fail_runtime("cannot read %s: %s", input, strerror(errno));

    int rc = 0;
    jk_context *ctx = NULL;
    jk_document *doc = NULL;
    jk_layout *layout = NULL;
    char *title = NULL;
    fb_target fb = {-1, NULL, 0, {0}};
    if (fb_cmd) {
        if ((rc = fb_open(&fbr, &fb)) != 0)
            goto done;
        /* the page fills the framebuffer, turned by its mounting */
        if (jk_surface_page_size(&fb.sf, &st.page_width, &st.page_height)) {
            rc = fail_usage("bad --fb-rotate");
            goto done;
        }
    }
    jk_status s = jk_context_create(NULL, &ctx);
    if (s != JK_OK) {
        rc = fail_runtime("%s", jk_status_string(s));
        goto done;
    }
    if (jk_context_add_bundled_fonts(ctx, font_dir(fonts)) != JK_OK) {
        rc = fail_runtime("%s (set JIKJI_FONT_DIR or --fonts)",
                          jk_context_errmsg(ctx));
        goto done;
    }
    if (hyphenate != 0) {
        /* On by default where the patterns are; a user who asked for it
         * is told when it cannot be had. */
        if (jk_context_load_hyphenation(ctx, NULL) != JK_OK) {
            if (hyphenate == 1)
                fprintf(stderr, "jikji: hyphenation is off: %s\n",
                        jk_context_errmsg(ctx));
            hyphenate = 0;
        }
    }
    st.hyphenate = hyphenate != 0;
    if (!input) { /* a sample sheet without an article */
        rc = preview(ctx, NULL, &st, &ro, &po, &pv);
        goto done;
    }
    if (format < 0)
        format = format_of(input);
    if (!jk_format_available((jk_format)format)) {
        rc = fail_runtime("%s: this build reads no %s", input,
                          format == JK_FORMAT_HTML ? "HTML" : "Markdown");
        goto done;
    }
    image_folder images = {NULL, images_anywhere};
    jk_read_options rdo;
    jk_read_options_init(&rdo);
    rdo.format = (jk_format)format;
    if (!no_images && strcmp(input, "-")) {
        images.root = folder_of(input);
        rdo.load = load_image;
        rdo.unload = unload_image;
        rdo.user = &images;
    }
    s = jk_document_read(ctx, bytes, size, &rdo, &doc);
    free(images.root);
    if (s != JK_OK) {
        rc = fail_runtime("%s: %s", input, jk_context_errmsg(ctx));
        goto done;
    }
    warn_figures(input, doc);
    if (!hit_cmd) { /* the document keeps no reference to the bytes */
        free(bytes);
        bytes = NULL;
    }
    if (preview_cmd) { /* lays out each step itself */
        rc = preview(ctx, doc, &st, &ro, &po, &pv);
        goto done;
    }
    s = jk_layout_create(doc, &st, &layout);
    if (s == JK_ERR_INVALID_ARGUMENT) {
        rc = fail_usage("%s", jk_context_errmsg(ctx));
        goto done;
    } else if (s != JK_OK) {
        rc = fail_runtime("%s", jk_context_errmsg(ctx));
        goto done;
    }
    jk_layout_get_settings(layout, &st);
    if (stats)
        print_stats(stderr, layout, false);
    if (render) {
        title = article_title(doc);
        po.title = title;
        po.dpi = st.dpi;
        rc = render_pages(ctx, layout, &st, pattern, &ro, &po,
                          have_highlight ? highlight_range : NULL,
                          page_given ? fb_page : 0, threads);
    } else if (fb_cmd)
        rc = fb_draw(ctx, layout, &fb, fb_page, &ro);
    else if (hit_cmd)
        rc = hit(ctx, doc, layout, bytes, fb_page, hit_x, hit_y, json);
    else if (locate_cmd)
        rc = locate(ctx, layout, offset, json);
    else if (print_json(stdout, doc, layout, &st, size))
        rc = fail_runtime("cannot write JSON");
done:
    fb_close(&fb);
    free(title);
    jk_layout_destroy(layout);
    jk_document_destroy(doc);
    jk_context_destroy(ctx);
    free(bytes);
    return rc;
}
