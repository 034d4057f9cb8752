import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The turns of the processes that share a cache directory (`http.cache_dir`, per user by
/// default) at each host: a request to a host takes its host's lock file under `hosts/` in that
/// directory (`flock`), waits for the delay from the last request any of those processes made
/// to one of its hosts, and writes when it finished. So that jobs running side by side as
/// processes of their own (`--scan-per-job --parallel N`, a `--runner`) keep `http.delay_s`
/// between them, as the clients of one process do (`HostSchedule`).
///
/// Hosts share `slots` lock files (by a hash of their name): two hosts of one slot take turns
/// too, which only spaces their requests more; with 16 requests in flight, a request meets
/// another's slot once in 270. Best effort: where a lock file cannot be made or locked, the
/// request goes on the process's own schedule.
final class HostTurns: Sendable {
    static let slots = 4096
    /// How often a taken lock is tried again.
    static let retry: Duration = .milliseconds(10)

    private let directory: String

    /// Nil when the directory cannot be made.
    init?(cacheDirectory: String) {
        directory = cacheDirectory + "/hosts"
        guard (try? FileSystem.createDirectories(directory)) != nil else { return nil }
    }

    /// `host`'s turn: its slot locked (nil when it cannot be), and the monotonic time the slot's
    /// last request finished (0 when none since the machine started).
    func take(_ host: String) async throws -> Turn? {
        let path = directory + "/" + Self.fileName(slot: Self.slot(of: host))
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                return nil
            }
            do {
                try await Task.sleep(for: Self.retry)
            } catch {
                close(descriptor)
                throw error
            }
        }
        var last: UInt64 = 0
        if pread(descriptor, &last, MemoryLayout<UInt64>.size, 0) != MemoryLayout<UInt64>.size { last = 0 }
        // A time from before the machine started is no time.
        return Turn(descriptor: descriptor, lastFinished: last <= Self.now() ? last : 0)
    }

    /// Nanoseconds of the machine's monotonic clock, the same in every process.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The lock file of a slot: its number in 3 hexadecimal digits.
    static func fileName(slot: Int) -> String { String(format: "%03x", slot) }

    /// FNV-1a of the name, to a slot.
    static func slot(of host: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(slots))
    }

    /// A slot held: `finish` writes when the request finished and gives the slot back.
    final class Turn: @unchecked Sendable {
        // Unchecked: used by the one request that holds it.
        private let descriptor: Int32
        let lastFinished: UInt64

        init(descriptor: Int32, lastFinished: UInt64) {
            self.descriptor = descriptor
            self.lastFinished = lastFinished
        }

        /// How long to wait for `delay` to have passed since the slot's last request.
        func wait(_ delay: Duration) -> Duration {
            guard lastFinished > 0 else { return .zero }
            let (seconds, attoseconds) = delay.components
            let ready = lastFinished + UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
            let now = HostTurns.now()
            return ready > now ? .nanoseconds(Int64(ready - now)) : .zero
        }

        /// Records that the request finished now (unless `finished` is false: it was not made).
        func finish(made: Bool) {
            if made {
                var now = HostTurns.now()
                _ = pwrite(descriptor, &now, MemoryLayout<UInt64>.size, 0)
            }
            close(descriptor)
        }
    }
}
