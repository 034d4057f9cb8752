"""Wall time, CPU time and peak memory of one command, for the benchmark scripts.

Linux carries a process's peak resident set across fork and exec (ru_maxrss starts at the
parent's size at fork time), so a command started by a benchmark driver that has grown (pyarrow
tables, DuckDB) would report the driver's memory as its own. `measure` therefore starts each
command from a fresh, small interpreter (this file run as a script, without site packages),
which forks and execs it and reports what wait4() says. The floor of the peak memory is that
interpreter's own few MB. Needs nothing beyond the Python standard library.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Measurement:
    wall: float         # seconds, the command alone (not the launcher's start-up)
    cpu: float          # user + system seconds of the command and its children
    peak_rss: int       # bytes: the largest resident set of the command or of a child it waited for
    status: int         # exit status, or -signal
    stdout: str
    stderr: str


def measure(command, cwd=None, env=None):
    """Runs `command` (a list) through the launcher; output is captured through files, never
    pipes (a child filling a pipe nobody reads would block)."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".json") as report:
        subprocess.call([sys.executable, "-S", os.path.abspath(__file__), report.name, *map(str, command)],
                        cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        stdout.seek(0)
        stderr.seek(0)
        text = report.read()
        output = stdout.read().decode(errors="replace")
        errors = stderr.read().decode(errors="replace")
    if not text:
        raise SystemExit(f"could not measure {' '.join(map(str, command))}:\n{errors}")
    figures = json.loads(text)
    return Measurement(figures["wall"], figures["cpu"], figures["peak_rss"], figures["status"], output, errors)


def _launch(report_path, command):
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    with open(report_path, "w") as report:
        json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_rss": usage.ru_maxrss * 1024,
                   "status": os.waitstatus_to_exitcode(status)}, report)


if __name__ == "__main__":
    _launch(sys.argv[1], sys.argv[2:])
