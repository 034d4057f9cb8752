import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// De-duplication keys written to disk as they come, and checked once at the end: whether any key
/// came twice (`repeatedKeys`). A shared scan's jobs use it for their numeric keys (SIRETs):
/// their keys then take no memory while the scan reads (`Deduplicator`, `DedupeStep`).
///
/// The file is made in `directory` (the job's output directory: same disk as its datasets) when
/// the buffer is first full, and unlinked at once: nothing is left behind, whatever ends the
/// process. Memory: a buffer of
/// `bufferKeys` keys while writing; all the keys (8 bytes each, sorted in place) while checking,
/// the checks of a process taking turns within `checkingBytes`.
final class KeySpill {
    static let bufferKeys = 8_192
    /// What the checks running at once may hold (a check of more runs alone): the jobs of a shared
    /// scan end side by side, and 8 of them checking at once took 60 MB more than the scan.
    static let checkingBytes = 16 << 20
    private static let checking = ByteAllowance(checkingBytes)

    private let directory: String
    private var descriptor: Int32 = -1
    private var buffer: [UInt64] = []
    /// Keys written so far.
    private(set) var count = 0

    init(directory: String) {
        self.directory = directory
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Adds `keys` (written when the buffer is full).
    func append(_ keys: [UInt64]) throws(KeySpillError) {
        if buffer.capacity == 0 { buffer.reserveCapacity(Self.bufferKeys) }
        for key in keys {
            buffer.append(key)
            if buffer.count == Self.bufferKeys { try flush() }
        }
        count += keys.count
    }

    /// How many keys came more than once (a key that came three times counts twice): all the keys
    /// read back and sorted.
    func repeatedKeys() throws(KeySpillError) -> Int {
        guard count > 0 else { return 0 }
        // The keys (sorted in place).
        let held = count * MemoryLayout<UInt64>.stride
        Self.checking.take(held)
        defer { Self.checking.give(held) }
        // Fewer keys than a buffer: they are all there, and no file is made (the 88-division
        // benchmark batch makes 42 key files instead of 79).
        var keys = buffer
        if descriptor >= 0 { try readBack(into: &keys) }
        Self.sort(&keys)
        var repeated = 0
        for index in keys.indices.dropFirst() where keys[index] == keys[index - 1] { repeated += 1 }
        return repeated
    }

    /// All the keys written, the buffer's included.
    private func readBack(into keys: inout [UInt64]) throws(KeySpillError) {
        try flush()
        keys = [UInt64](repeating: 0, count: count)
        do throws(SystemIO.Failure) {
            // A file shorter than the keys written is an error of its own (EIO).
            if try SystemIO.read(descriptor, into: &keys, at: 0) < count * MemoryLayout<UInt64>.stride {
                throw SystemIO.Failure(code: EIO)
            }
        } catch {
            throw KeySpillError(directory: directory, operation: "read", code: error.code)
        }
    }

    /// Bits of the key that `sort` places it by first: 4 096 buckets.
    static let radixBits = 12

    /// Sorts `keys` in increasing order, in place: each key moved into its bucket of the
    /// `radixBits` highest bits of the largest key (an American flag sort: a count, then swaps),
    /// then each bucket, a few hundred keys that stay in the cache, sorted on its own. (A
    /// comparison sort of all the keys took 60 ns a key, most of a shared scan's key checks; a sort
    /// digit by digit from the lowest took a second buffer as large as the keys.)
    static func sort(_ keys: inout [UInt64]) {
        guard keys.count > 1, let largest = keys.max() else { return }
        let shift = UInt64(max(UInt64.bitWidth - largest.leadingZeroBitCount - radixBits, 0))
        var starts = [Int](repeating: 0, count: (1 << radixBits) + 1)
        for key in keys { starts[Int(key >> shift) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var next = Array(starts.dropLast())
        keys.withUnsafeMutableBufferPointer { keys in
            for bucket in next.indices {
                // Every key before `next[b]` in bucket `b` is one of its own.
                while next[bucket] < starts[bucket + 1] {
                    let index = next[bucket]
                    let home = Int(keys[index] >> shift)
                    if home == bucket {
                        next[bucket] += 1
                    } else {
                        keys.swapAt(index, next[home])
                        next[home] += 1
                    }
                }
            }
            for bucket in next.indices where starts[bucket + 1] - starts[bucket] > 1 {
                var slice = UnsafeMutableBufferPointer(rebasing: keys[starts[bucket]..<starts[bucket + 1]])
                slice.sort()
            }
        }
    }

    private func flush() throws(KeySpillError) {
        guard !buffer.isEmpty else { return }
        if descriptor < 0 { try open() }
        do throws(SystemIO.Failure) {
            try SystemIO.write(descriptor, contentsOf: buffer)
        } catch {
            throw KeySpillError(directory: directory, operation: "write", code: error.code)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func open() throws(KeySpillError) {
        do throws(SystemIO.Failure) {
            descriptor = try SystemIO.anonymousFile(in: directory, prefix: ".dedupe-keys")
        } catch {
            throw KeySpillError(directory: directory, operation: "create", code: error.code)
        }
    }
}

/// Bytes that threads take and give back: `take` waits while others hold some and the bytes would
/// pass the allowance (alone, a thread may take more).
final class ByteAllowance: @unchecked Sendable {
    // Unchecked: guarded by `condition`.
    private let condition = NSCondition()
    private let bytes: Int
    private var held = 0

    init(_ bytes: Int) {
        self.bytes = bytes
    }

    func take(_ count: Int) {
        condition.lock()
        defer { condition.unlock() }
        while held > 0 && held + count > bytes { condition.wait() }
        held += count
    }

    func give(_ count: Int) {
        condition.lock()
        defer { condition.unlock() }
        held -= count
        condition.broadcast()
    }
}

/// A key file that could not be made, written or read back.
public struct KeySpillError: Error, CustomStringConvertible {
    let directory: String
    let operation: String
    let code: Int32

    public var description: String {
        "cannot \(operation) the de-duplication keys' file in \(directory): \(SystemIO.message(for: code))"
    }
}
