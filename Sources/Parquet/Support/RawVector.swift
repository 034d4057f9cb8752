/// A growable array of plain values (indices, offsets, hashes, bitmap words) owned by a
/// writer and reused between pages and chunks. Unlike `Array` it has no copy-on-write check
/// or bounds check on the hot path; callers index only below `count`.
final class RawVector<Element: BitwiseCopyable> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 16)
        pointer = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }

    func removeAll() { count = 0 }

    @inline(__always)
    func reserve(additional: Int) {
        if additional > capacity - count { grow(minimum: count + additional) }
    }

    private func grow(minimum: Int) {
        let doubled = capacity > Int.max / 4 ? minimum : capacity * 2
        let newCapacity = Swift.max(minimum, doubled)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = fresh
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow(minimum: count + 1) }
        pointer[count] = value
        count += 1
    }

    /// Sets the count after writing `added` elements at `pointer + count` (after `reserve`).
    @inline(__always)
    func advance(by added: Int) {
        count += added
    }

    /// Sets every one of the first `count` elements to `value` and makes that the count.
    func fill(_ value: Element, count newCount: Int) {
        removeAll()
        reserve(additional: newCount)
        pointer.update(repeating: value, count: newCount)
        count = newCount
    }

    /// Frees memory above `limit` elements.
    func shrink(ifAbove limit: Int) {
        guard capacity > limit, count <= limit else { return }
        let newCapacity = Swift.max(limit, 16)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = fresh
        capacity = newCapacity
    }
}
