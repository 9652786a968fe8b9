/* hyphenate.h - hyphenation points for Latin words (private to the library).
 *
 * TeX-style patterns through libhyphen (Debian: libhyphen-dev, patterns in
 * hyphen-en-us: /usr/share/hyphen/hyph_en_US.dic).  libhyphen is optional:
 * built without it (meson -Dhyphenation=disabled, or not found),
 * jk__hyphenator_create fails with JK_ERR_UNSUPPORTED and
 * jk__hyphenation_available() returns 0; soft hyphens still work (pass a
 * NULL hyphenator to jk__hyphenate).
 *
 * Memory: the hyphenator object itself comes from the context's allocator,
 * but the pattern tables inside it, and the small scratch libhyphen takes
 * on every jk__hyphenate call that reaches it, come from libhyphen, which
 * allocates with the C library's malloc, not the jikji allocator.  Worse,
 * libhyphen handles a failed malloc by printing to stderr and calling
 * exit(1); nothing on our side can prevent that.  It happens only when the
 * C heap is exhausted (about 2 MB for the en_US patterns, a few hundred
 * bytes per word).
 *
 * libhyphen prints nothing and never exits otherwise, except on input it is
 * not meant to get, which we never pass: jk__hyphenator_create reads the
 * file itself (through the context's allocator), checks it (character set
 * line, line lengths that libhyphen's fixed buffers hold, no control
 * characters, well-formed NOHYPHEN lines, no non-standard "/" patterns) and
 * only then hands the checked bytes to libhyphen; jk__hyphenate gives it
 * only short, valid, lowercased words.
 *
 * A hyphenator is read-only after creation: one may serve many documents
 * (one thread at a time, libhyphen has no locking but keeps no state).
 */
#ifndef JK_HYPHENATE_H
#define JK_HYPHENATE_H

#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

/* Flags in out[i] of jk__hyphenate; they describe the position AFTER
 * cps[i], like the JK_BRK_* flags of linebreak.h. */
#define JK__HYPH_PATTERN 0x01u /* a hyphen may be inserted after cps[i]
                                  (from the patterns); the composer draws a
                                  hyphen glyph at the end of the line */
#define JK__HYPH_SOFT    0x02u /* cps[i] is U+00AD SOFT HYPHEN inside a word:
                                  a break is allowed after it, and the soft
                                  hyphen itself becomes the visible hyphen
                                  (drawn only when the line ends there) */

/* Words (letters, inner apostrophes and soft hyphens) longer than this, in
 * code points, are left alone. */
#define JK__HYPHEN_MAX_WORD 100
/* Largest pattern file accepted, bytes (hyph_en_US.dic is 104 KiB). */
#define JK__HYPHEN_MAX_FILE_BYTES (8u * 1024u * 1024u)
/* Least letters before and after a hyphen (TYPOGRAPHY.md; a dictionary
 * may ask for more with LEFTHYPHENMIN / RIGHTHYPHENMIN). */
#define JK__HYPHEN_LEFT_MIN 2
#define JK__HYPHEN_RIGHT_MIN 3

typedef struct jk_hyphenator jk_hyphenator;

/* 1 if built with libhyphen, else 0. */
int jk__hyphenation_available(void);

/* Load hyphenation patterns (a libhyphen .dic file, character set UTF-8 or
 * ISO8859-1) from `path`; NULL means the default chosen at build time
 * (JK_HYPHEN_DICT, meson option hyphen_dict).  On success *out is the new
 * hyphenator; on failure *out is NULL, the status is returned and the
 * context holds a message:
 *   JK_ERR_INVALID_ARGUMENT  ctx or out NULL; the file is not a pattern file
 *   JK_ERR_IO                the file cannot be opened or read
 *   JK_ERR_LIMIT             larger than JK__HYPHEN_MAX_FILE_BYTES
 *   JK_ERR_UNSUPPORTED       built without libhyphen; another character
 *                            set; non-standard ("/") patterns
 *   JK_ERR_NOMEM             out of memory
 * Never prints (see above for libhyphen's own out-of-memory exit). */
jk_status jk__hyphenator_create(jk_context *ctx, const char *path,
                                jk_hyphenator **out);

/* Free a hyphenator made on `ctx`.  NULL is harmless. */
void jk__hyphenator_destroy(jk_context *ctx, jk_hyphenator *h);

/* Hyphenation points of a paragraph.  Fills out[0..n-1] with JK__HYPH_*
 * flags (0 = no hyphenation after cps[i]); every position is written.
 *
 * The text is scanned for words: maximal runs of Latin letters (ASCII,
 * Latin-1, Latin Extended-A/B, Latin Extended Additional) and digits, with
 * apostrophes (' U+2019 U+02BC) and soft hyphens kept when a letter or
 * digit follows.  Rules:
 *   - a word holding a digit ("a16z") gets no point;
 *   - a token (a run between white space) that looks like an address gets
 *     no point: it holds '@', '/' (so "://"), '\\', "www." or a '.'
 *     followed by a Latin letter ("example.com");
 *   - a token written with a hyphen (- U+2010 U+2011: "battle-field",
 *     "state-of-the-art") gets no pattern point: it breaks at its own
 *     hyphens, and a second hyphen inside one of its parts reads badly;
 *   - a word holding or touching soft hyphens gets exactly those
 *     (JK__HYPH_SOFT on each U+00AD inside it, i.e. followed by a letter or
 *     digit; of several in a row only the last), and nothing from the
 *     patterns; the letter minimums do not apply to them (the author chose
 *     them);
 *   - otherwise the patterns, on the word lowercased, give JK__HYPH_PATTERN
 *     points with at least JK__HYPHEN_LEFT_MIN letters before and
 *     JK__HYPHEN_RIGHT_MIN after, never next to an apostrophe;
 *   - words longer than JK__HYPHEN_MAX_WORD, and words holding combining
 *     marks or ZWJ/ZWNJ, get no pattern points.
 * Hangul, CJK and other scripts end a word and get no points, so a whole
 * mixed Korean/Latin paragraph can be passed.  Any uint32_t values are
 * accepted (surrogates, values above 0x10FFFF: neither letter nor space).
 *
 * `h` may be NULL: only soft hyphens are marked (works without libhyphen).
 * n may be 0 (cps and out may then be NULL).  Returns JK_OK, or
 * JK_ERR_INVALID_ARGUMENT when cps or out is NULL with n > 0.  No
 * allocation of its own (fixed stack buffers); libhyphen mallocs a little
 * per word (see above).  O(n). */
jk_status jk__hyphenate(const jk_hyphenator *h, const uint32_t *cps,
                        size_t n, uint8_t *out);

#endif
