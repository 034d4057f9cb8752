/// BYTE_STREAM_SPLIT: byte `b` of value `i` is stored at `b * count + i`.
enum ByteStreamSplit {
    /// Rebuilds `count` values of `width` bytes from the `width` streams at `source`.
    static func join(_ source: UnsafePointer<UInt8>, width: Int, count: Int, into out: UnsafeMutablePointer<UInt8>) {
        switch width {
        case 4: join(source, count: count, into: out, width: 4)
        case 8: join(source, count: count, into: out, width: 8)
        default: join(source, count: count, into: out, width: width)
        }
    }

    @inline(__always)
    private static func join(_ source: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>, width: Int) {
        for stream in 0..<width {
            let input = source + stream * count
            var output = out + stream
            for index in 0..<count {
                output.pointee = input[index]
                output += width
            }
        }
    }
}
