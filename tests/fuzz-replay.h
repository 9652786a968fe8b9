/* fuzz-replay.h - the main of a fuzz target built without libFuzzer: run
 * LLVMFuzzerTestOneInput once on every file named on the command line or
 * found (not recursively) in a folder named there, in name order, so every
 * input a fuzzer once found stays a regression test. A failed check aborts
 * inside the target; here only unreadable paths fail. With
 * FUZZ_REPLAY_VERBOSE set in the environment, each input's name and time
 * go to standard error. */
#ifndef JK_FUZZ_REPLAY_H
#define JK_FUZZ_REPLAY_H

/* The including file defines _POSIX_C_SOURCE (opendir, stat) first. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_replay_file(const char *name, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: cannot open %s\n", name, path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(fp);
            fprintf(stderr, "%s: out of memory\n", name);
            return 1;
        }
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        fprintf(stderr, "%s: cannot read %s\n", name, path);
        return 1;
    }
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, n);
    free(buf);
    bool verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %s (%zu bytes)\n", name, path, n);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    LLVMFuzzerTestOneInput(exact, n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (verbose)
        fprintf(stderr, "%s: %s took %.3f s\n", name, path,
                (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(exact);
    return 0;
}

static int fuzz_replay_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fuzz_replay(const char *name, int argc, char **argv)
{
    int failed = 0;
    size_t inputs = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n", name);
        return 2;
    }
    for (int a = 1; a < argc; a++) {
        struct stat sb;
        if (stat(argv[a], &sb) != 0) {
            fprintf(stderr, "%s: cannot find %s\n", name, argv[a]);
            failed = 1;
            continue;
        }
        if (!S_ISDIR(sb.st_mode)) {
            failed |= fuzz_replay_file(name, argv[a]);
            inputs++;
            continue;
        }
        DIR *dir = opendir(argv[a]);
        if (!dir) {
            fprintf(stderr, "%s: cannot open %s\n", name, argv[a]);
            failed = 1;
            continue;
        }
        char **paths = NULL;
        size_t count = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            size_t len = strlen(argv[a]) + strlen(de->d_name) + 2;
            char *path = malloc(len);
            if (!path)
                break;
            snprintf(path, len, "%s/%s", argv[a], de->d_name);
            if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
                free(path);
                continue;
            }
            if (count == cap) {
                cap = cap ? 2 * cap : 64;
                char **more = realloc(paths, cap * sizeof *paths);
                if (!more) {
                    free(path);
                    break;
                }
                paths = more;
            }
            paths[count++] = path;
        }
        closedir(dir);
        if (count)
            qsort(paths, count, sizeof *paths, fuzz_replay_cmp);
        for (size_t i = 0; i < count; i++) {
            failed |= fuzz_replay_file(name, paths[i]);
            inputs++;
            free(paths[i]);
        }
        free(paths);
    }
    printf("%s: %zu inputs%s\n", name, inputs, failed ? ", errors" : "");
    return failed;
}

#endif
