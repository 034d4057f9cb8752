/// Copies of the short values that make most of a registry's text (codes, names, postcodes):
/// fields of 4 to 16 bytes go with two overlapping loads and stores instead of a call to
/// `memcpy`, whose call costs more than the copy at these sizes. Writes exactly `count` bytes.
@inlinable @inline(__always)
public func copyBytes(from source: UnsafeRawPointer, count: Int, to target: UnsafeMutableRawPointer) {
    if count >= 8 && count <= 16 {
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
    } else if count >= 4 && count < 8 {
        target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
    } else {
        target.copyMemory(from: source, byteCount: count)
    }
}
