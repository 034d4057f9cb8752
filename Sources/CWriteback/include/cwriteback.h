// Starting the disk writes of a file's written bytes without waiting for them.
//
// Linux's `sync_file_range` is declared under `_GNU_SOURCE` only, which Swift's Glibc module
// does not define; this shim calls it.
#ifndef CWRITEBACK_H
#define CWRITEBACK_H

/// Starts writing bytes `offset..<offset + count` of `fd` to disk, without waiting
/// (`SYNC_FILE_RANGE_WRITE`). Best effort: returns 0, or an `errno` value (always 0 where the
/// call does not exist). Durability still needs `fsync`.
int cwriteback_start(int fd, long long offset, long long count);

#endif
