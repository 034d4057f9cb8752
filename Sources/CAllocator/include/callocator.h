// Giving the allocator's free memory back to the system.
//
// glibc's `malloc_trim` is declared in <malloc.h>, which Swift's Glibc module does not include;
// this shim calls it.
#ifndef CALLOCATOR_H
#define CALLOCATOR_H

/// Returns the memory the allocator holds free (in every arena, not only at the top of the heap)
/// to the system, so that the resident memory shrinks. Best effort: returns 1 when memory was
/// released, 0 when none was or where the call does not exist.
int callocator_release_free_memory(void);

#endif
