/// The scratch memory and codec state one thread uses to decode column chunks.
///
/// `ParquetFileReader` is immutable and `Sendable`; all mutable decoding state lives here, so
/// each thread that reads row groups in parallel holds its own context. Reusing one context
/// across chunks avoids re-allocating page and output buffers for every chunk.
public final class DecodingContext {
    let decompressor = Decompressor()
    /// The chunk's bytes as read from the file.
    let chunk = ScratchBuffer()
    /// A decompressed page.
    let page = ScratchBuffer()
    /// One definition level per value of the current page.
    let levels = ScratchBuffer()
    /// Per output row of the current page: the index of its value among the page's non-null
    /// values, or -1 for null.
    let sourceIndex = ScratchBuffer()
    /// The selected rows of the current page, relative to its first row.
    let pageSelection = ScratchBuffer()
    /// Page values decoded from a non-PLAIN encoding (compact: non-null values only).
    let pageValues = ScratchBuffer()
    let pageIntegers = ScratchBuffer()
    let spanStarts = ScratchBuffer()
    let spanEnds = ScratchBuffer()
    let pageIndices = ScratchBuffer()
    /// The chunk's dictionary: fixed-width values, or byte arrays as offsets + bytes.
    let dictionaryValues = ScratchBuffer()
    let dictionaryOffsets = ScratchBuffer()
    /// The output being built.
    let outputValues = ScratchBuffer()
    let outputOffsets = ScratchBuffer()
    let outputValidity = ScratchBuffer()
    let outputIndices = ScratchBuffer()

    public init() {}

    /// Frees scratch buffers larger than `bytes` (after reading an unusually large chunk).
    public func releaseMemory(keepingBuffersUpTo bytes: Int = 0) {
        for buffer in [chunk, page, levels, sourceIndex, pageSelection, pageValues, pageIntegers, spanStarts, spanEnds,
                       pageIndices, dictionaryValues, dictionaryOffsets, outputValues, outputOffsets,
                       outputValidity, outputIndices] {
            buffer.shrink(ifAbove: bytes)
        }
    }
}
