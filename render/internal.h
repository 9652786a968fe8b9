/* Temporary: hyphenate.c's includes until it is moved to the split
 * headers (memory.h, utf8.h, linebreak.h). */
#ifndef JK__INTERNAL_SHIM_H
#define JK__INTERNAL_SHIM_H
#include "linebreak.h"
#include "memory.h"
#include "utf8.h"
#endif
