/// A reusable, growable block of raw memory owned by one decoding context.
///
/// Decoding reuses these between pages and chunks instead of allocating per page. Every
/// allocation keeps `slack` readable bytes after the requested size so that hot loops may load
/// a whole machine word at the last value without reading outside the allocation.
final class ScratchBuffer {
    static let slack = 16

    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 0)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity + Self.slack, alignment: 16)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `byteCount` bytes; the current contents are lost.
    @inline(__always)
    func reserve(_ byteCount: Int) {
        if byteCount > capacity { reallocate(byteCount, keeping: 0) }
    }

    /// Makes room for `byteCount` bytes, keeping the first `used` bytes.
    @inline(__always)
    func grow(to byteCount: Int, keeping used: Int) {
        if byteCount > capacity {
            let doubled = capacity > Int.max / 4 ? byteCount : capacity * 2
            reallocate(Swift.max(byteCount, doubled), keeping: used)
        }
    }

    private func reallocate(_ byteCount: Int, keeping used: Int) {
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: byteCount + Self.slack, alignment: 16)
        if used > 0 { fresh.copyMemory(from: pointer, byteCount: used) }
        pointer.deallocate()
        pointer = fresh
        capacity = byteCount
    }

    /// Drops a large allocation when it is much bigger than what is still needed, so one huge
    /// chunk does not pin memory for the rest of a read.
    func shrink(ifAbove limit: Int) {
        if capacity > limit { reallocate(0, keeping: 0) }
    }

    func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        pointer.assumingMemoryBound(to: T.self)
    }

    func bytes(count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer, count: count)
    }
}
