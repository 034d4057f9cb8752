import CBrotli
import CCompression

/// Undoes HTTP content encodings (gzip, deflate, br) and gzip files, never producing more than a
/// limit: a small compressed body can expand to gigabytes (a "zip bomb").
enum ContentDecoding {
    enum Failure: Error, Equatable {
        /// The decoded body would exceed the limit.
        case tooLarge
        /// The encoding is not one builder decodes.
        case unsupported(String)
        /// The body is not valid for its encoding (the reason).
        case corrupt(String)
    }

    /// The encodings builder asks for in `Accept-Encoding`.
    static let accepted = "gzip, deflate, br"

    /// `body` with the encodings of a `Content-Encoding` value undone, last applied first.
    static func decode(_ body: [UInt8], contentEncoding: String, limit: Int) -> Result<[UInt8], Failure> {
        let codings = contentEncoding.lowercased().split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        var bytes = body
        for coding in codings.reversed() {
            let decoded: Result<[UInt8], Failure>
            switch coding {
            case "identity": continue
            case "gzip", "x-gzip": decoded = inflate(bytes, windowBits: 15 + 16, limit: limit)
            case "deflate":
                // RFC 9110's deflate is zlib-wrapped; some servers send raw deflate.
                decoded = inflate(bytes, windowBits: hasZlibHeader(bytes) ? 15 : -15, limit: limit)
            case "br": decoded = brotli(bytes, limit: limit)
            default: return .failure(.unsupported(String(coding)))
            }
            switch decoded {
            case .success(let value): bytes = value
            case .failure: return decoded
            }
        }
        return .success(bytes)
    }

    /// Whether `bytes` start like a gzip file (`1f 8b`).
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// A gzip file's content (several members allowed).
    static func gunzip(_ bytes: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        inflate(bytes, windowBits: 15 + 16, limit: limit)
    }

    private static func hasZlibHeader(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        return bytes[0] & 0x0F == 8 && (UInt16(bytes[0]) << 8 | UInt16(bytes[1])) % 31 == 0
    }

    private static let chunk = 64 << 10

    private static func inflate(_ input: [UInt8], windowBits: Int32, limit: Int) -> Result<[UInt8], Failure> {
        guard !input.isEmpty else { return .failure(.corrupt("empty compressed body")) }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard ccompression_inflate_init2(stream, windowBits) == Z_OK else { return .failure(.corrupt("cannot initialise zlib")) }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        return input.withUnsafeBufferPointer { inputPointer -> Result<[UInt8], Failure> in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inputPointer.baseAddress)
            stream.pointee.avail_in = uInt(inputPointer.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(out.count)
                    return CCompression.inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.pointee.avail_out)
                if output.count + produced > limit { return .failure(.tooLarge) }
                output += buffer[0..<produced]
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow; trailing zero padding is tolerated.
                    let rest = Int(stream.pointee.avail_in)
                    if rest == 0 || inputPointer.suffix(rest).allSatisfy({ $0 == 0 }) { return .success(output) }
                    guard inflateReset(stream) == Z_OK else { return .failure(.corrupt("cannot restart decoding for the next gzip member")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    return .failure(.corrupt("the compressed body is truncated"))
                case Z_BUF_ERROR:
                    continue
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt("invalid compressed body (\(reason))"))
                }
            }
        }
    }

    private static func brotli(_ input: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { return .failure(.corrupt("cannot initialise the brotli decoder")) }
        defer { BrotliDecoderDestroyInstance(state) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        return input.withUnsafeBufferPointer { inputPointer -> Result<[UInt8], Failure> in
            var nextIn = inputPointer.baseAddress
            var availableIn = inputPointer.count
            while true {
                var availableOut = chunk
                let result = buffer.withUnsafeMutableBufferPointer { out -> BrotliDecoderResult in
                    var nextOut = out.baseAddress
                    return BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                }
                let produced = chunk - availableOut
                if output.count + produced > limit { return .failure(.tooLarge) }
                output += buffer[0..<produced]
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS: return .success(output)
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: return .failure(.corrupt("the brotli body is truncated"))
                default:
                    let reason = String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state)))
                    return .failure(.corrupt("invalid brotli body (\(reason))"))
                }
            }
        }
    }
}
