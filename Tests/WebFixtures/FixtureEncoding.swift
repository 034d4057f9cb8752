import CBrotliEncoder
import CCompression

/// A content encoding a fixture page can be sent with.
public enum FixtureEncoding: String, Sendable, CaseIterable {
    case identity
    /// `Content-Encoding: gzip` (also the format of `.gz` files).
    case gzip
    /// `Content-Encoding: deflate`, zlib-wrapped as RFC 9110 says.
    case deflate
    /// `Content-Encoding: deflate` without the zlib wrapper, as some servers send it.
    case rawDeflate
    /// `Content-Encoding: br`.
    case brotli

    /// The `Content-Encoding` value; nil for identity.
    public var headerValue: String? {
        switch self {
        case .identity: nil
        case .gzip: "gzip"
        case .deflate, .rawDeflate: "deflate"
        case .brotli: "br"
        }
    }

    /// `bytes` encoded.
    public func encode(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .identity: bytes
        case .gzip: Self.deflate(bytes, windowBits: 15 + 16)
        case .deflate: Self.deflate(bytes, windowBits: 15)
        case .rawDeflate: Self.deflate(bytes, windowBits: -15)
        case .brotli: Self.brotli(bytes)
        }
    }

    private static func deflate(_ input: [UInt8], windowBits: Int32) -> [UInt8] {
        // zlib keeps a pointer to the stream: it must stay at one address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        precondition(ccompression_deflate_init2(stream, 6, windowBits) == Z_OK, "zlib deflateInit2 failed")
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
        let produced: Int = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = uInt(target.count)
                precondition(CCompression.deflate(stream, Z_FINISH) == Z_STREAM_END, "zlib deflate did not finish")
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    private static func brotli(_ input: [UInt8]) -> [UInt8] {
        var size = BrotliEncoderMaxCompressedSize(input.count)
        if size == 0 { size = input.count + 1024 }
        var output = [UInt8](repeating: 0, count: size)
        let ok = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, source.count,
                                      source.baseAddress, &size, target.baseAddress)
            }
        }
        precondition(ok == BROTLI_TRUE, "brotli compression failed")
        return Array(output[0..<size])
    }
}
