import Foundation

/// `WGS84Converter`s shared by threads: each call borrows one that no other thread is using
/// (making a new one when all are busy) and gives it back, so that PROJ objects are reused
/// without ever being used by two threads at once. At most as many converters exist as threads
/// that used the pool at the same time.
public final class WGS84ConverterPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [WGS84Converter] = []

    public init() {}

    /// Runs `body` with a converter of its own.
    public func withConverter<R>(_ body: (WGS84Converter) throws(GeoError) -> R) throws(GeoError) -> R {
        let converter = take()
        defer { giveBack(converter) }
        return try body(converter)
    }

    private func take() -> WGS84Converter {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? WGS84Converter()
    }

    private func giveBack(_ converter: WGS84Converter) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(converter)
    }
}
