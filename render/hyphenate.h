/* hyphenate.h - hyphenation points for Latin words (private to the library).
 *
 * Liang's algorithm (Frank M. Liang, "Word Hy-phen-a-tion by Com-put-er",
 * Stanford 1983; TeX's hyphenation) on TeX patterns in the .dic format of
 * the LibreOffice/hyphen dictionaries (Debian: hyphen-en-us,
 * /usr/share/hyphen/hyph_en_US.dic), all our own code: no library.
 *
 * A word, lowercased and wrapped in '.', gets at each gap between two of
 * its letters the largest digit of all the patterns that match there; odd
 * values are hyphenation points, then the letter minimums apply.  The
 * patterns live in a trie (children of a node contiguous and sorted, so a
 * child is found by binary search) whose nodes, alphabet and digit vectors
 * share one allocation from the context's allocator: hyph_en_US.dic
 * (11,107 patterns, 15,334 trie nodes of 12 bytes, 34 characters, 79 KB of
 * digits) takes 263,780 bytes on a 64-bit build (libhyphen 2.8.8 held
 * 1.4 MB of malloc).  Loading it makes 5 allocations, peaks at 664,659
 * bytes (the file, a bitmap of the characters seen, the patterns
 * unpacked; then the trie) and takes about 3.3 ms on an x86-64 PC.
 *
 * Every allocation goes through the context's allocator and a failure
 * returns JK_ERR_NOMEM with everything freed; nothing here prints, exits or
 * aborts.  jk__hyphenate allocates nothing (stack buffers bounded by
 * JK__HYPHEN_MAX_WORD) and never fails for valid arguments.  There is no
 * global state: a hyphenator is read-only after creation and may be shared
 * by threads that hyphenate at the same time.
 */
#ifndef JK__HYPHENATE_H
#define JK__HYPHENATE_H

#include <stddef.h>
#include <stdint.h>

#include "jikji.h"

/* Flags in out[i] of jk__hyphenate; they describe the position AFTER
 * cps[i], like the JK__BRK_* flags of linebreak.h. */
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
/* Longest line of a pattern file, bytes without the line end ('%' comment
 * lines excepted: they may be of any length); hyph_en_US.dic's longest is
 * 52.  A longer line means the file is not a pattern file. */
#define JK__HYPHEN_MAX_LINE 256
/* Least letters before and after a hyphen (TYPOGRAPHY.md; a dictionary
 * may ask for more with LEFTHYPHENMIN / RIGHTHYPHENMIN, never less). */
#define JK__HYPHEN_LEFT_MIN 2
#define JK__HYPHEN_RIGHT_MIN 3

typedef struct jk__hyphenator jk__hyphenator;

/* 1: hyphenation is always built in (kept for the public
 * jk_hyphenation_available). */
int jk__hyphenation_available(void);

/* Load hyphenation patterns from `path`; NULL means the default chosen at
 * build time (JK_HYPHEN_DICT, meson option hyphen_dict).  On success *out
 * is the new hyphenator; on failure *out is NULL, the status is returned
 * and the context holds a message naming the file and line:
 *   JK_ERR_INVALID_ARGUMENT  ctx or out NULL; the file is not a pattern
 *                            file (empty, no character set line, control
 *                            characters, invalid UTF-8, a line longer than
 *                            JK__HYPHEN_MAX_LINE, a pattern with two digits
 *                            in a row, without letters or with '.' inside,
 *                            text after a pattern, a bad keyword value, no
 *                            patterns at all)
 *   JK_ERR_IO                the file cannot be opened or read
 *   JK_ERR_LIMIT             larger than JK__HYPHEN_MAX_FILE_BYTES; more
 *                            than 65,535 distinct characters in patterns
 *   JK_ERR_UNSUPPORTED       a character set other than UTF-8 and
 *                            ISO8859-1; two-level (compound) dictionaries
 *                            (NEXTLEVEL); non-standard ("/") patterns;
 *                            unknown keywords
 *   JK_ERR_NOMEM             out of memory (nothing leaks)
 *
 * The format: an optional UTF-8 byte order mark; a first line naming the
 * character set, "UTF-8" or "ISO8859-1" (whose bytes are the code points
 * U+0000..U+00FF); then one pattern a line (".ach4", "4a1b", "n1t": letters
 * with at most one digit 0-9 before, between or after them, '.' only at
 * either end for a word boundary), blank lines, lines starting with '%'
 * (comments; '%' after a pattern starts one too), and keyword lines:
 * LEFTHYPHENMIN n, RIGHTHYPHENMIN n (raise the letter minimums),
 * COMPOUNDLEFTHYPHENMIN n, COMPOUNDRIGHTHYPHENMIN n (the letters between a
 * point and an apostrophe, see jk__hyphenate; they default to the others)
 * and NOHYPHEN (ignored: it acts only in two-level dictionaries).  Lines
 * end in "\n" or "\r\n"; leading and trailing blanks (space, tab) do not
 * count.  Patterns with the same letters twice count as both (the larger
 * digit wins at each place).  Never prints. */
jk_status jk__hyphenator_create(jk_context *ctx, const char *path,
                                jk__hyphenator **out);

/* Free a hyphenator made on `ctx`.  NULL is harmless. */
void jk__hyphenator_destroy(jk_context *ctx, jk__hyphenator *h);

/* What a hyphenator holds: patterns loaded (distinct letter strings), trie
 * nodes and bytes allocated (one block).  Any pointer may be NULL. */
void jk__hyphenator_info(const jk__hyphenator *h, size_t *patterns,
                         size_t *nodes, size_t *bytes);

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
 *     JK__HYPHEN_RIGHT_MIN after (or the dictionary's LEFTHYPHENMIN /
 *     RIGHTHYPHENMIN when larger), apostrophes not counted;
 *   - apostrophes split a word into parts that are hyphenated each as a
 *     word of their own (wrapped in '.', as TeX, where an apostrophe is no
 *     letter, and libhyphen did), never next to an apostrophe, and with the
 *     minimums (COMPOUNDLEFTHYPHENMIN / COMPOUNDRIGHTHYPHENMIN if the
 *     dictionary gives them, never below ours) between a point and an
 *     apostrophe too: "Gi-gafac-tory's";
 *   - with ISO8859-1 patterns, a word holding a letter beyond U+00FF gets
 *     no pattern points;
 *   - words longer than JK__HYPHEN_MAX_WORD, and words holding combining
 *     marks or ZWJ/ZWNJ, get no pattern points.
 * Hangul, CJK and other scripts end a word and get no points, so a whole
 * mixed Korean/Latin paragraph can be passed.  Any uint32_t values are
 * accepted (surrogates, values above 0x10FFFF: neither letter nor space).
 *
 * `h` may be NULL: only soft hyphens are marked.  n may be 0 (cps and out
 * may then be NULL).  Returns JK_OK, or JK_ERR_INVALID_ARGUMENT when cps or
 * out is NULL with n > 0.  No allocation (fixed stack buffers); O(n) for
 * the scan, and for each word O(length x longest pattern) trie steps. */
jk_status jk__hyphenate(const jk__hyphenator *h, const uint32_t *cps,
                        size_t n, uint8_t *out);

#endif
