#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cwriteback.h"

#include <errno.h>
#include <fcntl.h>

int cwriteback_start(int fd, long long offset, long long count) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE) == 0 ? 0 : errno;
#else
    (void)fd;
    (void)offset;
    (void)count;
    return 0;
#endif
}
