import CCompression

/// Decompresses pages into a buffer the caller provides, of exactly the size the page header
/// declares: nothing is allocated from a size the compressed data claims, and any other
/// output size is an error.
///
/// It keeps a zstd context and a zlib stream between pages, so one `Decompressor` per thread
/// is the intended use (it is not `Sendable`).
public final class Decompressor {
    private var zstdContext: OpaquePointer?
    private var inflateStream: UnsafeMutablePointer<z_stream>?

    public init() {}

    deinit {
        if let zstdContext { ZSTD_freeDCtx(zstdContext) }
        if let inflateStream {
            inflateEnd(inflateStream)
            inflateStream.deallocate()
        }
    }

    /// Decompresses `input` into all of `output`; throws unless the data decompresses to
    /// exactly `output.count` bytes.
    public func decompress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer,
                           into output: UnsafeMutableRawBufferPointer) throws {
        switch codec {
        case .uncompressed:
            guard input.count == output.count else {
                throw ParquetError.corrupt("uncompressed page has \(input.count) bytes, header says \(output.count)")
            }
            if !input.isEmpty { output.copyMemory(from: input) }
        case .snappy:
            try snappy(input, into: output)
        case .gzip:
            try gzip(input, into: output)
        case .zstd:
            try zstd(input, into: output)
        default:
            throw ParquetError(.unsupportedCodec, "unsupported codec \(codec)")
        }
    }

    /// Convenience for tests and tools: decompresses into a new array of `uncompressedSize`.
    public func decompress(_ codec: CompressionCodec, _ input: [UInt8], uncompressedSize: Int) throws -> [UInt8] {
        guard uncompressedSize >= 0 else {
            throw ParquetError(.invalidArgument, "negative uncompressed size \(uncompressedSize)")
        }
        return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, count in
            try input.withUnsafeBytes { source in
                try decompress(codec, source, into: UnsafeMutableRawBufferPointer(buffer))
            }
            count = uncompressedSize
        }
    }

    // MARK: Snappy (raw block format)

    private func snappy(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let source = input.baseAddress, !input.isEmpty else {
            throw ParquetError.corrupt("empty snappy block")
        }
        let sourceChars = source.assumingMemoryBound(to: CChar.self)
        var declared = 0
        guard snappy_uncompressed_length(sourceChars, input.count, &declared) == SNAPPY_OK else {
            throw ParquetError.corrupt("invalid snappy block (unreadable length preamble)")
        }
        guard declared == output.count else {
            throw ParquetError.corrupt("snappy block declares \(declared) bytes, page header says \(output.count)")
        }
        if declared == 0 { return }
        guard let destination = output.baseAddress else { return }
        var produced = output.count
        let status = snappy_uncompress(sourceChars, input.count,
                                       destination.assumingMemoryBound(to: CChar.self), &produced)
        guard status == SNAPPY_OK, produced == output.count else {
            throw ParquetError.corrupt("invalid snappy block")
        }
    }

    // MARK: Zstandard

    private func zstd(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        if zstdContext == nil { zstdContext = ZSTD_createDCtx() }
        guard let context = zstdContext else {
            throw ParquetError(.limitExceeded, "cannot allocate a zstd context")
        }
        var placeholder: UInt8 = 0
        let produced = withUnsafeMutablePointer(to: &placeholder) { fallback -> Int in
            let destination = output.baseAddress ?? UnsafeMutableRawPointer(fallback)
            let source = input.baseAddress ?? UnsafeRawPointer(fallback)
            return ZSTD_decompressDCtx(context, destination, output.count, source, input.count)
        }
        if ZSTD_isError(produced) != 0 {
            let reason = String(cString: ZSTD_getErrorName(produced))
            throw ParquetError.corrupt("invalid zstd data (\(reason)); page header says \(output.count) bytes")
        }
        guard produced == output.count else {
            throw ParquetError.corrupt("zstd data decompresses to \(produced) bytes, page header says \(output.count)")
        }
    }

    // MARK: Gzip (RFC 1952, several members allowed)

    private func gzip(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard input.count <= Int(UInt32.max), output.count <= Int(UInt32.max) else {
            throw ParquetError.limit("gzip page larger than 4 GiB")
        }
        let stream = try readyInflateStream()
        var placeholder: UInt8 = 0
        try withUnsafeMutablePointer(to: &placeholder) { fallback in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (input.baseAddress ?? UnsafeRawPointer(fallback))
                .assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = (output.baseAddress ?? UnsafeMutableRawPointer(fallback))
                .assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            while true {
                let status = inflate(stream, Z_NO_FLUSH)
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; trailing zero padding is tolerated.
                    if stream.pointee.avail_in == 0 || restIsZero(stream) { break }
                    guard inflateReset(stream) == Z_OK else {
                        throw ParquetError.corrupt("cannot restart gzip decoding for the next member")
                    }
                    continue
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.pointee.avail_out == 0 {
                        throw ParquetError.corrupt("gzip data decompresses to more than the \(output.count) bytes the page header says")
                    }
                    throw ParquetError.corrupt("truncated gzip data")
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw ParquetError.corrupt("invalid gzip data (\(reason))")
                }
                break
            }
            let produced = output.count - Int(stream.pointee.avail_out)
            guard produced == output.count else {
                throw ParquetError.corrupt("gzip data decompresses to \(produced) bytes, page header says \(output.count)")
            }
        }
    }

    private func restIsZero(_ stream: UnsafeMutablePointer<z_stream>) -> Bool {
        guard let next = stream.pointee.next_in else { return true }
        for index in 0..<Int(stream.pointee.avail_in) where next[index] != 0 { return false }
        return true
    }

    private func readyInflateStream() throws -> UnsafeMutablePointer<z_stream> {
        if let inflateStream {
            guard inflateReset(inflateStream) == Z_OK else {
                throw ParquetError.corrupt("cannot reset the gzip decoder")
            }
            return inflateStream
        }
        // zlib keeps a pointer to the stream, so it lives at a fixed heap address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: a 32 KiB window with gzip/zlib header detection.
        guard ccompression_inflate_init2(stream, 15 + 32) == Z_OK else {
            stream.deallocate()
            throw ParquetError(.limitExceeded, "cannot initialise zlib")
        }
        inflateStream = stream
        return stream
    }
}
