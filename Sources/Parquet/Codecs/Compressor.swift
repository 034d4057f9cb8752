import CCompression

/// Compresses page bytes for a writer: SNAPPY (raw block), GZIP (one RFC 1952 member) and
/// ZSTD (one frame, level configurable). Keeps a zstd context between calls, so use one per
/// thread.
public final class Compressor {
    /// zstd level; 3 is zstd's own default and polars'.
    public let zstdLevel: Int32
    /// zlib level, 1 (fast) to 9 (small).
    public let gzipLevel: Int32
    private var zstdContext: OpaquePointer?

    public init(zstdLevel: Int32 = 3, gzipLevel: Int32 = 6) {
        self.zstdLevel = zstdLevel
        self.gzipLevel = gzipLevel
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    public func compress(_ codec: CompressionCodec, _ input: [UInt8]) throws -> [UInt8] {
        try input.withUnsafeBytes { try compress(codec, $0) }
    }

    public func compress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        switch codec {
        case .uncompressed: return Array(input)
        case .snappy: return try snappy(input)
        case .gzip: return try gzip(input)
        case .zstd: return try zstd(input)
        default: throw ParquetError(.unsupportedCodec, "unsupported codec \(codec)")
        }
    }

    private func snappy(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        let bound = snappy_max_compressed_length(input.count)
        var placeholder: CChar = 0
        return try [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            guard let destination = buffer.baseAddress else { throw ParquetError(.limitExceeded, "no snappy output buffer") }
            var produced = bound
            let status = withUnsafeMutablePointer(to: &placeholder) { fallback in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(fallback),
                                input.count,
                                UnsafeMutableRawPointer(destination).assumingMemoryBound(to: CChar.self),
                                &produced)
            }
            guard status == SNAPPY_OK else { throw ParquetError(.invalidArgument, "snappy compression failed") }
            count = produced
        }
    }

    private func zstd(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
        guard let context = zstdContext else { throw ParquetError(.limitExceeded, "cannot allocate a zstd context") }
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else { throw ParquetError(.limitExceeded, "input too large for zstd") }
        var placeholder: UInt8 = 0
        return try [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            guard let destination = buffer.baseAddress else { throw ParquetError(.limitExceeded, "no zstd output buffer") }
            let produced = withUnsafeMutablePointer(to: &placeholder) { fallback in
                ZSTD_compressCCtx(context, destination, bound,
                                  input.baseAddress ?? UnsafeRawPointer(fallback), input.count, zstdLevel)
            }
            guard ZSTD_isError(produced) == 0 else {
                throw ParquetError(.invalidArgument, "zstd compression failed: \(String(cString: ZSTD_getErrorName(produced)))")
            }
            count = produced
        }
    }

    private func gzip(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count <= Int(UInt32.max) / 2 else { throw ParquetError(.limitExceeded, "input too large for gzip") }
        // zlib keeps a pointer to the stream, so it lives at a fixed heap address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 16: a 32 KiB window with a gzip (RFC 1952) wrapper.
        guard ccompression_deflate_init2(stream, gzipLevel, 15 + 16) == Z_OK else {
            throw ParquetError(.invalidArgument, "cannot initialise zlib at level \(gzipLevel)")
        }
        defer { deflateEnd(stream) }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var placeholder: UInt8 = 0
        return try [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            guard let destination = buffer.baseAddress else { throw ParquetError(.limitExceeded, "no gzip output buffer") }
            let status = withUnsafeMutablePointer(to: &placeholder) { fallback -> Int32 in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: (input.baseAddress ?? UnsafeRawPointer(fallback))
                    .assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = destination
                stream.pointee.avail_out = uInt(bound)
                return deflate(stream, Z_FINISH)
            }
            guard status == Z_STREAM_END else { throw ParquetError(.invalidArgument, "gzip compression failed (\(status))") }
            count = bound - Int(stream.pointee.avail_out)
        }
    }
}
