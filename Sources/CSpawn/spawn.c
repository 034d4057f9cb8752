#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

/// The paths to try, in order, for `file` (`execvp`'s search): `file` itself when it holds a
/// `/`, else `dir/file` for each directory of `PATH` (an empty entry is the current directory).
/// One allocation: the pointer array followed by the strings. NULL when out of memory.
static char **candidate_paths(const char *file) {
    if (strchr(file, '/') != NULL) {
        char **paths = malloc(2 * sizeof(char *) + strlen(file) + 1);
        if (paths == NULL) return NULL;
        paths[0] = (char *)(paths + 2);
        strcpy(paths[0], file);
        paths[1] = NULL;
        return paths;
    }
    const char *search = getenv("PATH");
    if (search == NULL) search = "/bin:/usr/bin";
    size_t count = 1;
    for (const char *p = search; *p != '\0'; p++) count += *p == ':';
    size_t file_length = strlen(file);
    size_t size = (count + 1) * sizeof(char *) + strlen(search) + count * (file_length + 2);
    char **paths = malloc(size);
    if (paths == NULL) return NULL;
    char *text = (char *)(paths + count + 1);
    const char *start = search;
    for (size_t index = 0; index < count; index++) {
        const char *end = strchr(start, ':');
        size_t length = end != NULL ? (size_t)(end - start) : strlen(start);
        paths[index] = text;
        if (length > 0) {
            memcpy(text, start, length);
            text += length;
            *text++ = '/';
        }
        memcpy(text, file, file_length + 1);
        text += file_length + 1;
        start = end != NULL ? end + 1 : start + length;
    }
    paths[count] = NULL;
    return paths;
}

/// Closes the descriptors from `first` to `last` included, -1 meaning all the rest (below
/// `limit` where the kernel cannot close a range). The child only: async-signal-safe.
static void close_range_of(int first, int last, int limit) {
    if (last >= 0 && first > last) return;
#if defined(__linux__) && defined(SYS_close_range)
    if (syscall(SYS_close_range, (unsigned int)first, last < 0 ? ~0U : (unsigned int)last, 0) == 0) return;
#endif
    for (int fd = first; fd <= (last < 0 ? limit - 1 : last); fd++) close(fd);
}

/// The child, between fork and exec: only async-signal-safe calls. Never returns.
static void run_child(char **paths, char *const argv[], char *const envp[], int input_fd, int output_fd,
                      int report_fd, int fd_limit, const int *default_signals, int signal_count,
                      pid_t parent) {
    // Handlers first, while every signal is still blocked: one of the parent's handlers running
    // here would act for the parent (the signal forwarder would write to the parent's pipe).
    for (int signal = 1; signal < NSIG; signal++) {
        if (signal == SIGKILL || signal == SIGSTOP) continue;
        struct sigaction current;
        if (sigaction(signal, NULL, &current) != 0) continue;
        int reset = current.sa_handler != SIG_IGN && current.sa_handler != SIG_DFL;
        for (int index = 0; index < signal_count && !reset; index++) reset = default_signals[index] == signal;
        if (!reset) continue;
        struct sigaction standard;
        memset(&standard, 0, sizeof standard);
        standard.sa_handler = SIG_DFL;
        sigemptyset(&standard.sa_mask);
        sigaction(signal, &standard, NULL);
    }
    int error = 0;
    if (setpgid(0, 0) != 0) error = errno;
#ifdef __linux__
    // Ends with its parent. The check afterwards closes the race of a parent that died before
    // the request was made (the child would then belong to another process already).
    if (error == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) error = errno;
    if (error == 0 && getppid() != parent) _exit(127);
#else
    (void)parent;
#endif
    if (error == 0 && (dup2(input_fd, 0) < 0 || dup2(output_fd, 1) < 0 || dup2(output_fd, 2) < 0)) error = errno;
    if (error == 0) {
        // Descriptors the host opened without close-on-exec (a Lua io.open) must not leak; the
        // report pipe closes itself on exec.
        close_range_of(3, report_fd - 1, fd_limit);
        close_range_of(report_fd + 1, -1, fd_limit);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);

        // execvp's rules: go on past a path that is missing or not a directory, remember a
        // permission problem, stop at any other error.
        int denied = 0;
        for (char **path = paths; *path != NULL; path++) {
            execve(*path, argv, envp);
            error = errno;
            if (error == EACCES) {
                denied = 1;
            } else if (error != ENOENT && error != ENOTDIR && error != ESTALE && error != ENODEV && error != ETIMEDOUT) {
                break;
            }
        }
        if (denied && (error == ENOENT || error == ENOTDIR || error == ESTALE || error == ENODEV || error == ETIMEDOUT)) {
            error = EACCES;
        }
    }
    while (write(report_fd, &error, sizeof error) < 0 && errno == EINTR) {}
    _exit(127);
}

/// `fd` moved (as a close-on-exec copy) to 3 or above, so that the child's `dup2` onto 0, 1 and
/// 2 can never clobber it; -1 on failure.
static int above_standard(int fd) {
    return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

int cspawn_start(pid_t *pid, const char *file, char *const argv[], char *const envp[],
                 int input_fd, int output_fd, const int *default_signals, int signal_count) {
    char **paths = candidate_paths(file);
    if (paths == NULL) return ENOMEM;

    int result = 0;
    int input = -1, output = -1, report[2] = {-1, -1};
    input = above_standard(input_fd);
    output = above_standard(output_fd);
    if (input < 0 || output < 0) result = errno;
#ifdef __linux__
    if (result == 0 && pipe2(report, O_CLOEXEC) != 0) result = errno;
#else
    if (result == 0) {
        if (pipe(report) != 0) {
            result = errno;
        } else {
            fcntl(report[0], F_SETFD, FD_CLOEXEC);
            fcntl(report[1], F_SETFD, FD_CLOEXEC);
        }
    }
#endif
    if (result == 0 && report[1] < 3) {
        int moved = above_standard(report[1]);
        if (moved < 0) result = errno;
        close(report[1]);
        report[1] = moved;
    }

    // Where descriptors are closed one by one (kernels without close_range): up to the limit,
    // at most 65536 of them.
    int fd_limit = 65536;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536) {
        fd_limit = (int)limit.rlim_cur;
    }

    if (result == 0) {
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        pid_t parent = getpid();
        pid_t child = fork();
        if (child == 0) {
            run_child(paths, argv, envp, input, output, report[1], fd_limit, default_signals, signal_count, parent);
        }
        int fork_error = errno;
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
        if (child < 0) {
            result = fork_error;
        } else {
            close(report[1]);
            report[1] = -1;
            int error = 0;
            ssize_t count;
            while ((count = read(report[0], &error, sizeof error)) < 0 && errno == EINTR) {}
            if (count == (ssize_t)sizeof error) {
                // exec failed: the child has exited (or is about to); reap it.
                int status;
                while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
                result = error != 0 ? error : ECHILD;
            } else {
                *pid = child;
            }
        }
    }

    if (input >= 0) close(input);
    if (output >= 0) close(output);
    if (report[0] >= 0) close(report[0]);
    if (report[1] >= 0) close(report[1]);
    free(paths);
    return result;
}
