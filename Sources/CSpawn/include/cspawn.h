// Starting a child process that dies with its parent.
//
// `posix_spawn` cannot ask the kernel to kill the child when the parent dies (Linux's
// `PR_SET_PDEATHSIG` is set from inside the child, between fork and exec), so the job runner
// starts its children with this small fork + exec in C: after `fork` in a multi-threaded
// program the child may only call async-signal-safe functions until `exec`, which Swift code
// cannot promise.
#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/// Starts `file` with `argv` (NULL-terminated, `argv[0]` included) and `envp`:
/// - `file` is looked up in `PATH` when it has no `/` (as `execvp` does, without its `sh`
///   fallback for files that are not executables, like `posix_spawnp`);
/// - in a new process group (its own id);
/// - standard input from `input_fd`, standard output and error to `output_fd`, every other
///   descriptor closed;
/// - signal mask empty; every signal the parent catches, and those in `default_signals`
///   (`signal_count` of them), back to their default action; others the parent ignores stay
///   ignored, as with `posix_spawn`;
/// - on Linux, killed (SIGKILL) when the thread that started it ends, and never started when
///   the parent is already gone by the time it is set up.
///
/// Returns 0 and the child's id in `pid`, or an `errno` value: the one of `fork`, or the one of
/// `exec` (`ENOENT` when `file` was not found), in which case the child has been reaped.
int cspawn_start(pid_t *pid, const char *file, char *const argv[], char *const envp[],
                 int input_fd, int output_fd, const int *default_signals, int signal_count);

#endif
