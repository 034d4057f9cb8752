import CCompression

/// Compresses page bytes for a writer: SNAPPY (raw block), GZIP (one RFC 1952 member) and
/// ZSTD (one frame, level configurable). Keeps a zstd context and a zlib stream between calls,
/// so use one per thread.
public final class Compressor {
    /// zstd level; 3 is zstd's own default and polars'.
    public let zstdLevel: Int32
    /// zlib level, 1 (fast) to 9 (small).
    public let gzipLevel: Int32
    private var zstdContext: OpaquePointer?
    private var deflateStream: UnsafeMutablePointer<z_stream>?

    public init(zstdLevel: Int32 = 3, gzipLevel: Int32 = 6) {
        self.zstdLevel = zstdLevel
        self.gzipLevel = gzipLevel
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
        if let deflateStream {
            deflateEnd(deflateStream)
            deflateStream.deallocate()
        }
    }

    public func compress(_ codec: CompressionCodec, _ input: [UInt8]) throws -> [UInt8] {
        try input.withUnsafeBytes { try compress(codec, $0) }
    }

    public func compress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        let output = WriteBuffer(capacity: input.count / 2 + 64)
        try compress(codec, input, into: output)
        return Array(output.bytes)
    }

    /// Appends the compressed form of `input` to `output`, without an intermediate copy.
    func compress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into output: WriteBuffer) throws {
        switch codec {
        case .uncompressed: output.append(input)
        case .snappy: try snappy(input, into: output)
        case .gzip: try gzip(input, into: output)
        case .zstd: try zstd(input, into: output)
        default: throw ParquetError(.unsupportedCodec, "unsupported codec \(codec) (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD)")
        }
    }

    private func snappy(_ input: UnsafeRawBufferPointer, into output: WriteBuffer) throws {
        let bound = snappy_max_compressed_length(input.count)
        output.reserve(additional: bound)
        var produced = bound
        var placeholder: CChar = 0
        let status = withUnsafeMutablePointer(to: &placeholder) { fallback in
            snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(fallback),
                            input.count, output.tail.assumingMemoryBound(to: CChar.self), &produced)
        }
        guard status == SNAPPY_OK else { throw ParquetError(.invalidArgument, "snappy compression failed") }
        output.advance(by: produced)
    }

    private func zstd(_ input: UnsafeRawBufferPointer, into output: WriteBuffer) throws {
        if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
        guard let context = zstdContext else { throw ParquetError(.limitExceeded, "cannot allocate a zstd context") }
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else { throw ParquetError(.limitExceeded, "input too large for zstd") }
        output.reserve(additional: bound)
        var placeholder: UInt8 = 0
        let produced = withUnsafeMutablePointer(to: &placeholder) { fallback in
            ZSTD_compressCCtx(context, output.tail, bound, input.baseAddress ?? UnsafeRawPointer(fallback), input.count,
                              zstdLevel)
        }
        guard ZSTD_isError(produced) == 0 else {
            throw ParquetError(.invalidArgument, "zstd compression failed: \(String(cString: ZSTD_getErrorName(produced)))")
        }
        output.advance(by: produced)
    }

    private func gzip(_ input: UnsafeRawBufferPointer, into output: WriteBuffer) throws {
        guard input.count <= Int(UInt32.max) / 2 else { throw ParquetError(.limitExceeded, "input too large for gzip") }
        let stream = try readyDeflateStream()
        let bound = Int(deflateBound(stream, uLong(input.count)))
        output.reserve(additional: bound)
        var placeholder: UInt8 = 0
        let status = withUnsafeMutablePointer(to: &placeholder) { fallback -> Int32 in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (input.baseAddress ?? UnsafeRawPointer(fallback))
                .assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = output.tail.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(bound)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            return deflate(stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw ParquetError(.invalidArgument, "gzip compression failed (\(status))") }
        output.advance(by: bound - Int(stream.pointee.avail_out))
    }

    /// One deflate stream reused for every page (initialising one allocates ~256 KiB).
    private func readyDeflateStream() throws -> UnsafeMutablePointer<z_stream> {
        if let deflateStream {
            guard deflateReset(deflateStream) == Z_OK else {
                throw ParquetError(.invalidArgument, "cannot reset the gzip encoder")
            }
            return deflateStream
        }
        // zlib keeps a pointer to the stream, so it lives at a fixed heap address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window with a gzip (RFC 1952) wrapper.
        guard ccompression_deflate_init2(stream, gzipLevel, 15 + 16) == Z_OK else {
            stream.deallocate()
            throw ParquetError(.invalidArgument, "cannot initialise zlib at level \(gzipLevel)")
        }
        deflateStream = stream
        return stream
    }
}
