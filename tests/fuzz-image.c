/* fuzz-image.c: to be written with the image module. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data;
    (void)size;
    return 0;
}

#ifndef JK_FUZZER
#include "fuzz-replay.h"
int main(int argc, char **argv) { return fuzz_replay("fuzz-image", argc, argv); }
#endif
