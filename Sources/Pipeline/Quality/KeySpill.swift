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
/// The file is made in `directory` (the job's output directory: same disk as its datasets) and
/// unlinked at once: nothing is left behind, whatever ends the process. Memory: a buffer of
/// `bufferKeys` keys while writing; all the keys (8 bytes each, and as much again to sort them)
/// while checking, the checks of a process taking turns within `checkingBytes`.
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
        try flush()
        guard count > 0 else { return 0 }
        // The keys, and as much again to sort them.
        let held = count * MemoryLayout<UInt64>.stride * 2
        Self.checking.take(held)
        defer { Self.checking.give(held) }
        var keys = [UInt64](repeating: 0, count: count)
        do throws(SystemIO.Failure) {
            // A file shorter than the keys written is an error of its own (EIO).
            if try SystemIO.read(descriptor, into: &keys, at: 0) < count * MemoryLayout<UInt64>.stride {
                throw SystemIO.Failure(code: EIO)
            }
        } catch {
            throw KeySpillError(directory: directory, operation: "read", code: error.code)
        }
        Self.sort(&keys)
        var repeated = 0
        for index in keys.indices.dropFirst() where keys[index] == keys[index - 1] { repeated += 1 }
        return repeated
    }

    /// Bits of a key sorted per pass of `sort`: 4 096 counts (32 KB) stay in the cache.
    static let radixBits = 12

    /// Sorts `keys` in increasing order: a least-significant-digit radix sort, `radixBits` at a
    /// time, for as many passes as the largest key has digits (4 for a SIRET, under 2^48), with a
    /// buffer as large as the keys. A comparison sort (`sort()`) took 60 ns a key, most of a
    /// shared scan's key checks.
    static func sort(_ keys: inout [UInt64]) {
        guard keys.count > 1 else { return }
        let largest = keys.max()!
        let bits = UInt64.bitWidth - largest.leadingZeroBitCount
        let passes = (bits + radixBits - 1) / radixBits
        let mask = UInt64(1 << radixBits - 1)
        var other = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << radixBits)
        for pass in 0..<passes {
            let shift = UInt64(pass * radixBits)
            keys.withUnsafeBufferPointer { source in
                other.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        counts.update(repeating: 0)
                        for key in source { counts[Int(key >> shift & mask)] += 1 }
                        var start = 0
                        for digit in counts.indices {
                            let count = counts[digit]
                            counts[digit] = start
                            start += count
                        }
                        for key in source {
                            let digit = Int(key >> shift & mask)
                            target[counts[digit]] = key
                            counts[digit] += 1
                        }
                    }
                }
            }
            swap(&keys, &other)
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
        var template = Array((directory + "/.dedupe-keys.XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else { throw KeySpillError(directory: directory, operation: "create", code: errno) }
        _ = fcntl(made, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = made
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
