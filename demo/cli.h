/* What the CLI's commands share: jikji.c (options, render, layout, fb,
 * hit, locate) and preview.c (the font-size contact sheet). */
#ifndef JIKJI_CLI_H
#define JIKJI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "jikji.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Print "jikji: ..." (and, for usage, a pointer to --help) on stderr;
 * return the exit status. */
int fail_usage(const char *fmt, ...);
int fail_runtime(const char *fmt, ...);

/* jk_write_fn over a FILE *. */
int write_file(void *user, const void *data, size_t size);

/* A PNG name from a pattern with one %d (check_pattern'ed). */
void format_pattern(const char *p, int number, char *out, size_t size);

/* Pages [first, last) of a layout as PNG files (export.c). */
typedef struct export_job {
    jk_context *ctx;
    const jk_layout *layout;
    const jk_settings *settings; /* the layout's, margins resolved */
    const char *pattern;
    const jk_render_options *render;
    const jk_png_options *png;
    size_t first, last;
    int threads;                 /* 1: on the context; more: drawers */
    const size_t *highlight;     /* [start, end) to shade, or NULL */
} export_job;

int export_pages(const export_job *job);

/* The steps of a contact sheet and how to show them. */
typedef struct preview_request {
    const double *steps;   /* scales, or points with font_sizes */
    size_t step_count;
    bool font_sizes;       /* steps are body sizes in points */
    size_t at;             /* byte offset each panel shows */
    int sheet_width;       /* pixels; 0: pages at half size, samples at
                              full size */
    int columns;           /* panels a row; 0: up to 4 */
    const char *sample;    /* NULL: pages; else the sample text */
    const char *output;    /* PNG file */
    int threads;           /* drawing the pages (not samples) */
} preview_request;

/* Write the sheet and print its rows "scale pt pages page" on stdout.
 * `doc` may be NULL for a sample without an article. */
int preview(jk_context *ctx, jk_document *doc, const jk_settings *base,
            const jk_render_options *ro, const jk_png_options *po,
            const preview_request *rq);

/* A Korean and Latin sample sentence for --sample with no text. */
const char *preview_builtin_sample(void);

#endif
