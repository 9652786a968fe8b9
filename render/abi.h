/* The public structs that grow (jikji.h, "Structs that grow"): reading a
 * caller's struct, which may be older and shorter than ours. */
#ifndef JK__ABI_H
#define JK__ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Bytes of `type` up to and including its field `last`: the size of its
 * 1.0 layout when `last` is the last field 1.0 had. */
#define JK__SIZE_UP_TO(type, last)                                           \
    (offsetof(type, last) + sizeof(((type *)0)->last))

/* Copy the caller's struct `in` of in_size bytes (0: the 1.0 layout,
 * size_1_0 bytes) over `out` (out_size bytes, holding the defaults), as
 * far as both reach. False when in_size is below the 1.0 layout. */
static inline bool jk__struct_read(void *out, size_t out_size,
                                   const void *in, size_t in_size,
                                   size_t size_1_0)
{
    size_t n = in_size ? in_size : size_1_0;
    if (n < size_1_0)
        return false;
    memcpy(out, in, n < out_size ? n : out_size);
    return true;
}

/* Copy our struct `in` into the caller's `out` of out_size bytes, as far
 * as both reach, its struct_size (the first field) set to out_size. */
static inline bool jk__struct_write(void *out, size_t out_size,
                                    const void *in, size_t in_size,
                                    size_t size_1_0)
{
    if (out_size < size_1_0)
        return false;
    memcpy(out, in, out_size < in_size ? out_size : in_size);
    memcpy(out, &out_size, sizeof out_size);
    return true;
}

#endif
