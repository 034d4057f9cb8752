// The allocator's memory: giving free memory back to the system, and fixing when it does.
//
// glibc's `malloc_trim` and `mallopt` are declared in <malloc.h>, which Swift's Glibc module does
// not include; this shim calls them.
#ifndef CALLOCATOR_H
#define CALLOCATOR_H

#include <stddef.h>

/// Returns the memory the allocator holds free (in every arena, not only at the top of the heap)
/// to the system, so that the resident memory shrinks. Best effort: returns 1 when memory was
/// released, 0 when none was or where the call does not exist.
int callocator_release_free_memory(void);

/// Fixes the allocator's thresholds at `bytes`: blocks of that size or more are mapped on their
/// own (and unmapped when freed), and an arena gives back the free memory at its top past that
/// size. Returns 1 when both were set, 0 otherwise (or where the call does not exist).
int callocator_set_thresholds(size_t bytes);

#endif
