/* Page counts: a document's pages at many settings, without layouts.
 *
 * A count job cuts the document's blocks into pieces of about PIECE_CPS
 * code points and the settings into runs that give the same candidate
 * breaks (jk__same_candidates, up to JK__COMPOSE_MAX a run); a task is a
 * piece of a run, composed for all its settings at once (each block's
 * candidates found once). Tasks are taken in order by whichever thread
 * is free, so a slower or busier core takes fewer, and their lines are
 * paged in order: the task every earlier one of which is paged is
 * composed straight into the counting layouts; a later one into a slot
 * of its own, whose lines are moved into the layouts once the tasks
 * before it are in (sequence). Counting layouts cut the pages their
 * lines settle and drop those lines (COUNT_LINES), so a job needs memory
 * for a few pages a settings and at most WINDOW tasks' lines: a thread
 * takes no task more than WINDOW past the last one paged.
 *
 * The threads share the job through atomics alone: a task is taken by a
 * compare-and-swap on `next`, a slot is handed over by its `done`
 * (release, acquire), and one thread at a time pages (`sequencing`); a
 * failure's message is copied under a flag (fail_from). No thread ever
 * waits on another's work: one that finds the window full returns, and
 * the one holding the task that blocks it goes on. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "layout.h"
#include "memory.h"
#include "running.h"

/* Code points a piece of the document holds at least: a few pages at
 * the smallest size, so a task is worth taking (about a millisecond) and
 * the last ones leave little for a thread to wait on. */
enum { PIECE_CPS = 4096 };
/* Tasks a thread may be ahead of the last one paged. */
enum { WINDOW = 16 };
/* Lines a counting layout gathers before the pages they settle are cut
 * and dropped: a few pages' worth, so counting needs memory for about
 * that many lines a size, not for the document's. */
enum { COUNT_LINES = 1024 };

typedef struct run {
    size_t first, n; /* settings [first, first + n) */
} run;

/* A task's lines while earlier tasks are not paged: a scratch layout for
 * each settings of its run. */
typedef struct slot {
    jk_layout layouts[JK__COMPOSE_MAX];
    bool in_place;      /* composed into the job's layouts instead */
    _Atomic size_t done; /* its task's index + 1, once composed */
} slot;

struct jk_count_job {
    jk_document *doc;
    size_t count;          /* settings */
    jk_layout *layouts;    /* a counting layout a settings */
    run *runs;
    size_t run_count;
    size_t *piece_end;     /* piece i holds blocks [piece_end[i-1],
                              piece_end[i]) */
    size_t piece_count;
    size_t task_count;     /* run_count * piece_count; task t is piece
                              t % piece_count of run t / piece_count */
    slot slots[WINDOW];    /* task t's is slots[t % WINDOW] */
    _Atomic size_t next;   /* the next task to take */
    _Atomic size_t paged;  /* tasks whose lines are in the layouts */
    atomic_bool sequencing;
    /* Settings from `limit` on are not counted: the first that failed
     * (their message in `why`), or count. Lowered under `lock`. */
    _Atomic size_t limit;
    atomic_flag lock;
    jk_status failure;
    char why[256];
    bool finished;         /* jk_count_job_finish has run */
};

/* Settings i failed with st (the message on ctx), or, for a run that
 * failed to compose, settings [i, last]: counting stops before them
 * unless an earlier one failed already. */
static void fail_from(jk_count_job *job, jk_context *ctx, jk_status st,
                      size_t i, size_t last)
{
    while (atomic_flag_test_and_set_explicit(&job->lock,
                                             memory_order_acquire))
        ; /* held only to copy a message */
    if (i < atomic_load(&job->limit)) {
        if (i == last)
            snprintf(job->why, sizeof job->why, "settings %zu: %s", i,
                     jk_context_errmsg(ctx));
        else
            snprintf(job->why, sizeof job->why, "settings %zu to %zu: %s",
                     i, last, jk_context_errmsg(ctx));
        job->failure = st;
        atomic_store(&job->limit, i);
    }
    atomic_flag_clear_explicit(&job->lock, memory_order_release);
}

/* How many of run r's settings are still counted. */
static size_t run_width(jk_count_job *job, const run *r)
{
    size_t limit = atomic_load(&job->limit);
    return limit <= r->first ? 0 : limit - r->first < r->n ? limit - r->first
                                                          : r->n;
}

/* Takes the next task unless none is left, a run failed before it, or
 * it is WINDOW past the last one paged. */
static bool take(jk_count_job *job, size_t *task)
{
    size_t t = atomic_load(&job->next);
    for (;;) {
        if (t >= job->task_count ||
            t >= atomic_load_explicit(&job->paged, memory_order_acquire) +
                     WINDOW)
            return false;
        if (atomic_compare_exchange_weak(&job->next, &t, t + 1)) {
            *task = t;
            return true;
        }
    }
}

/* The pages settled once the blocks before `blocks` are composed, in
 * each of run r's layouts that has gathered COUNT_LINES lines. */
static void cut_settled(jk_count_job *job, jk_context *ctx, const run *r,
                        size_t width, size_t blocks)
{
    for (size_t i = 0; i < width; i++) {
        jk_layout *l = &job->layouts[r->first + i];
        if (l->line_count < COUNT_LINES)
            continue;
        l->ctx = ctx;
        jk_status st = jk__paginate_settled(l, blocks);
        if (st != JK_OK) {
            fail_from(job, ctx, st, r->first + i, r->first + i);
            return;
        }
    }
}

/* Task t composed on ctx: into the job's layouts when every task before
 * it is paged (nothing else touches them until it is), else into its
 * slot. */
static void compose_task(jk_count_job *job, jk_context *ctx, size_t t)
{
    const run *r = &job->runs[t / job->piece_count];
    size_t piece = t % job->piece_count;
    size_t first = piece ? job->piece_end[piece - 1] : 0;
    size_t end = job->piece_end[piece];
    slot *s = &job->slots[t % WINDOW];
    size_t width = run_width(job, r);
    s->in_place =
        atomic_load_explicit(&job->paged, memory_order_acquire) == t;
    jk_layout *into[JK__COMPOSE_MAX];
    for (size_t i = 0; i < width; i++) {
        jk_layout *l = s->in_place ? &job->layouts[r->first + i]
                                   : &s->layouts[i];
        if (!s->in_place) {
            l->doc = job->doc;
            l->settings = job->layouts[r->first + i].settings;
            l->counting = true;
            l->line_count = 0;
        }
        l->ctx = ctx;
        into[i] = l;
    }
    jk_status st = jk__compose_blocks(into, width, first, end);
    if (st != JK_OK)
        fail_from(job, ctx, st, r->first, r->first + r->n - 1);
    else if (s->in_place)
        cut_settled(job, ctx, r, run_width(job, r), end);
    atomic_store_explicit(&s->done, t + 1, memory_order_release);
}

/* Moves task t's lines from its slot into the job's layouts. */
static void page_task(jk_count_job *job, jk_context *ctx, size_t t)
{
    const slot *s = &job->slots[t % WINDOW];
    if (s->in_place)
        return;
    const run *r = &job->runs[t / job->piece_count];
    size_t width = run_width(job, r);
    for (size_t i = 0; i < width; i++) {
        jk_layout *l = &job->layouts[r->first + i];
        const jk_layout *from = &s->layouts[i];
        if (!jk__grow(ctx, (void **)&l->lines, &l->line_cap,
                      l->line_count + from->line_count, sizeof *l->lines)) {
            jk__fail(ctx, JK_ERR_NOMEM, "out of memory counting pages");
            fail_from(job, ctx, JK_ERR_NOMEM, r->first + i, r->first + i);
            return;
        }
        if (from->line_count > 0)
            memcpy(l->lines + l->line_count, from->lines,
                   from->line_count * sizeof *l->lines);
        l->line_count += from->line_count;
    }
    cut_settled(job, ctx, r, width, job->piece_end[t % job->piece_count]);
}

/* Pages the composed tasks that follow the last paged one, unless
 * another thread is at it: then that one takes them too (it looks once
 * more after letting go). */
static void sequence(jk_count_job *job, jk_context *ctx)
{
    for (;;) {
        if (atomic_exchange_explicit(&job->sequencing, true,
                                     memory_order_acquire))
            return;
        size_t t = atomic_load(&job->paged);
        while (t < job->task_count &&
               atomic_load_explicit(&job->slots[t % WINDOW].done,
                                    memory_order_acquire) == t + 1) {
            page_task(job, ctx, t);
            atomic_store_explicit(&job->paged, ++t, memory_order_release);
        }
        atomic_store_explicit(&job->sequencing, false, memory_order_release);
        if (t >= job->task_count ||
            atomic_load_explicit(&job->slots[t % WINDOW].done,
                                 memory_order_acquire) != t + 1)
            return;
    }
}

/* Tasks taken and composed on ctx until none is left to take. */
static void work_on(jk_count_job *job, jk_context *ctx)
{
    size_t t;
    while (take(job, &t)) {
        compose_task(job, ctx, t);
        sequence(job, ctx);
    }
}

/* The pieces: blocks in order, each piece ending once it holds
 * PIECE_CPS code points, never before a caption that follows a figure
 * (the two are set together). */
static jk_status cut_pieces(jk_count_job *job, jk_context *ctx)
{
    const jk_document *doc = job->doc;
    size_t n = doc->block_count, pieces = 0;
    job->piece_end = jk__calloc(ctx, n > 0 ? n : 1, sizeof *job->piece_end);
    if (!job->piece_end)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory counting pages");
    size_t held = 0;
    for (size_t i = 0; i < n; i++) {
        held += doc->blocks[i].n + 1;
        bool caption_next = i + 1 < n &&
                            doc->blocks[i + 1].kind == JK_BLOCK_CAPTION &&
                            doc->blocks[i].kind == JK_BLOCK_FIGURE;
        if ((held >= PIECE_CPS && !caption_next) || i + 1 == n) {
            job->piece_end[pieces++] = i + 1;
            held = 0;
        }
    }
    if (pieces == 0) /* no blocks: one empty piece */
        job->piece_end[pieces++] = 0;
    job->piece_count = pieces;
    return JK_OK;
}

/* The job over settings[0, count), its layouts and runs made on ctx;
 * *made the settings made before one that is NULL or bad (the error),
 * so that the counts before it can still be given. */
static jk_status job_make(jk_context *ctx, jk_document *doc,
                          const jk_settings *const *settings, size_t count,
                          jk_count_job **out, size_t *made)
{
    *made = 0;
    jk_count_job *job = jk__calloc(ctx, 1, sizeof *job);
    if (!job)
        return jk__fail(ctx, JK_ERR_NOMEM, "out of memory counting pages");
    *out = job;
    job->doc = doc;
    atomic_init(&job->next, 0);
    atomic_init(&job->paged, 0);
    atomic_init(&job->sequencing, false);
    atomic_flag_clear(&job->lock);
    for (size_t i = 0; i < WINDOW; i++)
        atomic_init(&job->slots[i].done, 0);
    jk_status st = JK_OK;
    job->layouts = jk__calloc(ctx, count ? count : 1, sizeof *job->layouts);
    job->runs = jk__calloc(ctx, count ? count : 1, sizeof *job->runs);
    if (!job->layouts || !job->runs)
        st = jk__fail(ctx, JK_ERR_NOMEM, "out of memory counting pages");
    if (st == JK_OK)
        st = cut_pieces(job, ctx);
    for (size_t i = 0; i < count && st == JK_OK; i++) {
        jk_layout *l = &job->layouts[i];
        l->doc = doc;
        l->ctx = ctx;
        l->counting = true;
        bool text;
        if (!settings[i]) {
            st = jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                          "settings %zu is NULL", i);
            break;
        }
        if ((st = jk__check_settings(ctx, settings[i], &l->settings)) ||
            (st = jk__running_make(l, &l->settings, &l->running, &text))) {
            char why[256];
            snprintf(why, sizeof why, "%s", jk_context_errmsg(ctx));
            st = jk__fail(ctx, st, "settings %zu: %s", i, why);
            break;
        }
        run *last = job->run_count ? &job->runs[job->run_count - 1] : NULL;
        if (last && last->n < JK__COMPOSE_MAX &&
            jk__same_candidates(&job->layouts[last->first].settings,
                                &l->settings))
            last->n++;
        else
            job->runs[job->run_count++] = (run){i, 1};
        job->count = *made = i + 1;
    }
    job->task_count = job->run_count * job->piece_count;
    atomic_init(&job->limit, job->count);
    return st;
}

/* The rest of the work on ctx, then the counts of the settings before
 * the first that failed; the job's status, its message on ctx. */
static jk_status job_finish(jk_count_job *job, jk_context *ctx,
                            size_t *pages)
{
    sequence(job, ctx); /* what the threads left composed */
    work_on(job, ctx);
    for (size_t i = 0; i < atomic_load(&job->limit); i++) {
        jk_layout *l = &job->layouts[i];
        l->ctx = ctx;
        jk_status st = jk__paginate(l);
        if (st != JK_OK)
            fail_from(job, ctx, st, i, i);
        else
            pages[i] = l->page_count;
    }
    if (atomic_load(&job->limit) < job->count)
        return jk__fail(ctx, job->failure, "%s", job->why);
    return JK_OK;
}

static void job_free(jk_count_job *job, jk_context *ctx)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->count; i++) {
        job->layouts[i].ctx = ctx; /* not a drawer's: it may be gone */
        jk__layout_release(&job->layouts[i]);
    }
    for (size_t s = 0; s < WINDOW; s++)
        for (size_t i = 0; i < JK__COMPOSE_MAX; i++)
            jk__free(ctx, job->slots[s].layouts[i].lines);
    jk__free(ctx, job->layouts);
    jk__free(ctx, job->runs);
    jk__free(ctx, job->piece_end);
    jk__free(ctx, job);
}

/* jk_document_page_counts on ctx (the document's or a drawer's): a job
 * all done on this thread; before a NULL or bad settings, the counts of
 * those before it. */
static jk_status count_pages(jk_context *ctx, jk_document *doc,
                             const jk_settings *const *settings,
                             size_t count, size_t *pages)
{
    jk_count_job *job = NULL;
    size_t made;
    jk_status st = job_make(ctx, doc, settings, count, &job, &made);
    if (st != JK_OK && job && made > 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", jk_context_errmsg(ctx));
        jk_status counted = job_finish(job, ctx, pages);
        st = counted != JK_OK ? counted : jk__fail(ctx, st, "%s", why);
    } else if (st == JK_OK) {
        st = job_finish(job, ctx, pages);
    }
    job_free(job, ctx);
    return st;
}

jk_status jk_document_page_counts(jk_document *doc,
                                  const jk_settings *const *settings,
                                  size_t count, size_t *pages)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (!doc || (count && (!settings || !pages)))
        return JK_ERR_INVALID_ARGUMENT;
    return count_pages(doc->ctx, doc, settings, count, pages);
}

jk_status jk_drawer_page_counts(jk_drawer *drawer, jk_document *doc,
                                const jk_settings *const *settings,
                                size_t count, size_t *pages)
{
    jk__clear_error(drawer ? &drawer->ctx : NULL);
    if (!drawer || !doc || (count && (!settings || !pages)))
        return JK_ERR_INVALID_ARGUMENT;
    if (doc->ctx != drawer->parent)
        return jk__fail(&drawer->ctx, JK_ERR_INVALID_ARGUMENT,
                        "the document is of another context");
    return count_pages(&drawer->ctx, doc, settings, count, pages);
}

jk_status jk_count_job_create(jk_document *doc,
                              const jk_settings *const *settings,
                              size_t count, jk_count_job **out)
{
    jk__clear_error(doc ? doc->ctx : NULL);
    if (out)
        *out = NULL;
    if (!doc || !out || (count && !settings))
        return JK_ERR_INVALID_ARGUMENT;
    jk_count_job *job = NULL;
    size_t made;
    jk_status st = job_make(doc->ctx, doc, settings, count, &job, &made);
    if (st != JK_OK) {
        job_free(job, doc->ctx);
        return st;
    }
    *out = job;
    return JK_OK;
}

jk_status jk_drawer_count_job_run(jk_drawer *drawer, jk_count_job *job)
{
    jk__clear_error(drawer ? &drawer->ctx : NULL);
    if (!drawer || !job)
        return JK_ERR_INVALID_ARGUMENT;
    if (job->doc->ctx != drawer->parent)
        return jk__fail(&drawer->ctx, JK_ERR_INVALID_ARGUMENT,
                        "the job's document is of another context");
    work_on(job, &drawer->ctx);
    return JK_OK;
}

jk_status jk_count_job_finish(jk_count_job *job, size_t *pages)
{
    if (!job || (job->count && !pages))
        return JK_ERR_INVALID_ARGUMENT;
    jk_context *ctx = job->doc->ctx;
    jk__clear_error(ctx);
    if (job->finished)
        return jk__fail(ctx, JK_ERR_INVALID_ARGUMENT,
                        "the count job is finished already");
    job->finished = true;
    return job_finish(job, ctx, pages);
}

void jk_count_job_destroy(jk_count_job *job)
{
    if (job)
        job_free(job, job->doc->ctx);
}
