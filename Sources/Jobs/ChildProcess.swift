import Basics
import CSpawn
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How a child process ended.
public struct ProcessResult: Sendable, Equatable {
    public enum Termination: Sendable, Equatable {
        /// Exit status (-1 when the status was lost because something else reaped the child).
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)
        /// Never ran: `cannot start python3: No such file or directory`.
        case failedToStart(String)
    }

    public var termination: Termination
    /// The timeout expired and the process group was terminated.
    public var timedOut: Bool
    /// The run was cancelled through its `CancellationToken`.
    public var cancelled: Bool
    public var duration: Duration

    public var exitCode: Int32? {
        if case let .exited(code) = termination { return code }
        return nil
    }

    public var signal: Int32? {
        if case let .signaled(signal) = termination { return signal }
        return nil
    }
}

/// Runs a program as a child process, the way a job runner needs it:
///
/// - the program is looked up in `PATH` unless it contains a `/`;
/// - in its own process group, so that Ctrl-C in the terminal does not reach it directly and the
///   whole group (the program and anything it started) can be signalled;
/// - on Linux it dies (SIGKILL) with the calling thread, so with this process, however this
///   process ends (`kill -9`, a crash); `run` blocks that thread until the child is reaped;
/// - standard input from `/dev/null`, standard output and error appended to a log file (its
///   directory created); no pipes, so a child that closes its output early, or a grandchild that
///   keeps the log open, cannot make the caller hang; no other descriptor inherited;
/// - signal mask emptied and common signals reset to their default action in the child;
/// - on timeout or cancellation the group gets SIGTERM, then SIGKILL after `killGrace`;
/// - when the program itself has exited, whatever it left running in its group is killed, and the
///   program is always reaped (no zombies).
public enum ChildProcess {
    public static let defaultKillGrace: Duration = .seconds(5)

    /// Runs `arguments` to completion; blocks the calling thread. Throws `UsageError` only for a
    /// call that cannot be made (empty argument list, NUL byte in an argument, timeout not
    /// positive); a program that cannot start or fails is reported in the result.
    ///
    /// `header`, when given, is appended to the log before the program starts (a line that tells
    /// runs apart in a log several runs append to); `environment` is added to (or replaces
    /// variables of) this process's environment for the child.
    public static func run(_ arguments: [String], logFile: String, header: String? = nil,
                           environment: [String: String] = [:], timeout: Duration? = nil,
                           killGrace: Duration = defaultKillGrace,
                           cancellation: CancellationToken? = nil) throws(UsageError) -> ProcessResult {
        guard let program = arguments.first, !program.isEmpty else { throw UsageError("the command is empty") }
        if let bad = arguments.first(where: { $0.utf8.contains(0) }) {
            throw UsageError("argument \(bad.debugDescription) contains a NUL byte")
        }
        if let bad = environment.first(where: { $0.key.isEmpty || $0.key.contains("=") || ($0.key + $0.value).utf8.contains(0) }) {
            throw UsageError("environment variable \(bad.key.debugDescription) cannot be set")
        }
        if let timeout, timeout <= .zero { throw UsageError("the timeout must be positive, got \(timeout)") }
        guard killGrace >= .zero else { throw UsageError("the kill grace period must not be negative") }

        let clock = ContinuousClock()
        let start = clock.now
        func notStarted(_ reason: String, cancelled: Bool = false) -> ProcessResult {
            ProcessResult(termination: .failedToStart(reason), timedOut: false, cancelled: cancelled,
                          duration: clock.now - start)
        }
        if cancellation?.isCancelled == true { return notStarted("cancelled before it started", cancelled: true) }

        do {
            try FileSystem.createDirectories(FileSystem.parentDirectory(of: logFile))
        } catch {
            return notStarted(error.description)
        }
        // Never through a symbolic link, never a FIFO or a device (whose open would block).
        let log: Int32
        do {
            log = try FileSystem.openRegularFile(logFile, flags: O_WRONLY | O_CREAT | O_APPEND, operation: "open log file")
        } catch {
            return notStarted(error.description)
        }
        defer { close(log) }
        if let header { StandardStreams.write(header, to: log) }

        let spawned = spawn(arguments, output: log, environment: environment)
        guard case let .success(pid) = spawned else {
            if case let .failure(error) = spawned {
                return notStarted("cannot start \(program): \(String(cString: strerror(error.code)))")
            }
            return notStarted("cannot start \(program)")
        }

        // A second Ctrl-C ends this process at once (see SignalForwarder): the job's group goes too.
        let forcedExitAction = SignalForwarder.onForcedExit { killpg(pid, SIGKILL) }
        let waiter = ExitWaiter(pid: pid)
        let handler = cancellation?.register { waiter.requestCancellation() }
        defer { if let handler { cancellation?.unregister(handler) } }
        if cancellation != nil && handler == nil { waiter.requestCancellation() }
        waiter.start()

        let deadline = timeout.map { start + $0 }
        let outcome = waiter.waitForExit(until: deadline)
        let timedOut = outcome == .deadline
        let cancelled = outcome == .cancelled
        if timedOut || cancelled {
            killpg(pid, SIGTERM)
            if waiter.waitForExit(until: clock.now + killGrace, ignoringCancellation: true) != .exited {
                killpg(pid, SIGKILL)
                _ = waiter.waitForExit(until: nil, ignoringCancellation: true)
            }
        }
        // The program has exited but is not reaped yet, so its process group id cannot have been
        // reused: kill what it left behind, then reap it.
        killpg(pid, SIGKILL)
        SignalForwarder.removeForcedExitAction(forcedExitAction)
        let termination = reap(pid)
        return ProcessResult(termination: termination, timedOut: timedOut, cancelled: cancelled,
                             duration: clock.now - start)
    }

    /// Signals the child gets with their default action even where the parent ignores them
    /// (`builder` ignores SIGPIPE; a program run from it must not inherit that). Signals the
    /// parent catches get their default action anyway. Not SIGHUP: ignored, it was ignored for us
    /// (`nohup`), and the jobs stay immune to hang-ups too.
    static let defaultSignals: [Int32] = [SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD,
                                          SIGTSTP, SIGTTIN, SIGTTOU]

    /// Starts the program through `cspawn_start` (fork + exec in C): unlike `posix_spawn`, it can
    /// make the child die with us (Linux `PR_SET_PDEATHSIG`), so that a batch killed with
    /// `kill -9`, or by a closed terminal, leaves no job behind to commit its outputs later.
    private static func spawn(_ arguments: [String], output: Int32,
                              environment: [String: String]) -> Result<pid_t, SpawnFailure> {
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return .failure(SpawnFailure(errno)) }
        defer { close(input) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        // This process's environment, with `environment` replacing or adding its variables.
        var envp: [UnsafeMutablePointer<CChar>?] = []
        if !environment.isEmpty {
            var index = 0
            while let entry = environ[index] {
                let text = String(cString: entry)
                let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
                if environment[name] == nil { envp.append(strdup(entry)) }
                index += 1
            }
            for (name, value) in environment.sorted(by: { $0.key < $1.key }) { envp.append(strdup(name + "=" + value)) }
            envp.append(nil)
        }
        defer { for pointer in envp { free(pointer) } }
        var pid = pid_t()
        let code = defaultSignals.withUnsafeBufferPointer { signals in
            envp.isEmpty
                ? cspawn_start(&pid, arguments[0], argv, environ, input, output, signals.baseAddress, Int32(signals.count))
                : cspawn_start(&pid, arguments[0], argv, envp, input, output, signals.baseAddress, Int32(signals.count))
        }
        return code == 0 ? .success(pid) : .failure(SpawnFailure(code))
    }

    private static func reap(_ pid: pid_t) -> ProcessResult.Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .signaled(signal)
    }

    /// The name of a signal for messages: `SIGTERM`, or `signal 42`.
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGABRT: "SIGABRT", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
                                      SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS",
                                      SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2", SIGXCPU: "SIGXCPU"]
        return names[signal] ?? "signal \(signal)"
    }
}

struct SpawnFailure: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
