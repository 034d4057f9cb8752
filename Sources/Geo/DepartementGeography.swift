/// What the coordinates of an establishment in one département must look like: the projection
/// INSEE gives them in, and the box a real point of that département falls in. The one map from
/// a département code (`75`, `2A`, `971`) to its projection.
///
/// - Projections: Lambert-93 (EPSG:2154) in metropolitan France and Corsica; overseas, the UTM
///   zone of the local system: 971, 972, 977, 978 EPSG:5490; 973 EPSG:2972; 974 EPSG:2975;
///   975 EPSG:4467; 976 EPSG:4471. Other codes (98x: Polynesia, New Caledonia...) have none.
/// - Bounds: the box of the département's communes (IGN's ADMIN EXPRESS commune contours, islands
///   included), widened by 0.05° (about 5 km) on each side and rounded outwards to 0.01°. For
///   975, 977 and 978, which those contours do not cover, the box of the islands. A point outside
///   is not a plausible position for an establishment of that département.
public struct DepartementGeography: Sendable, Equatable {
    /// `01`...`95`, `2A`, `2B`, `971`...`978`.
    public let code: String
    public let projection: Projection
    public let bounds: GeoBounds

    init(_ code: String, _ projection: Projection, south: Double, west: Double, north: Double, east: Double) {
        self.code = code
        self.projection = projection
        self.bounds = GeoBounds(south: south, west: west, north: north, east: east)
    }

    /// The département of `code` (its ASCII bytes: `75`, `2A`, `971`); nil for anything else,
    /// `20`, `98x` and unknown codes included.
    @inline(__always)
    public static func find<Bytes: Collection<UInt8>>(_ code: Bytes) -> DepartementGeography? {
        position(of: code).map { all[$0] }
    }

    /// The position of `code`'s département in `all` (for per-row tables); nil as for `find`.
    @inline(__always)
    public static func position<Bytes: Collection<UInt8>>(of code: Bytes) -> Int? {
        guard let key = key(code) else { return nil }
        let position = positions[key]
        return position < 0 ? nil : Int(position)
    }

    public static func find(_ code: String) -> DepartementGeography? { find(Array(code.utf8)) }

    /// Every département, in code order (Corsica after 19).
    public static let all: [DepartementGeography] = [
        DepartementGeography("01", .lambert93, south: 45.56, west: 4.67, north: 46.57, east: 6.22),
        DepartementGeography("02", .lambert93, south: 48.78, west: 2.90, north: 50.12, east: 4.31),
        DepartementGeography("03", .lambert93, south: 45.88, west: 2.22, north: 46.86, east: 4.06),
        DepartementGeography("04", .lambert93, south: 43.61, west: 5.44, north: 44.71, east: 7.02),
        DepartementGeography("05", .lambert93, south: 44.13, west: 5.36, north: 45.18, east: 7.13),
        DepartementGeography("06", .lambert93, south: 43.43, west: 6.58, north: 44.42, east: 7.77),
        DepartementGeography("07", .lambert93, south: 44.21, west: 3.81, north: 45.42, east: 4.94),
        DepartementGeography("08", .lambert93, south: 49.17, west: 3.97, north: 50.22, east: 5.45),
        DepartementGeography("09", .lambert93, south: 42.52, west: 0.77, north: 43.37, east: 2.23),
        DepartementGeography("10", .lambert93, south: 47.87, west: 3.33, north: 48.77, east: 4.92),
        DepartementGeography("11", .lambert93, south: 42.59, west: 1.63, north: 43.52, east: 3.30),
        DepartementGeography("12", .lambert93, south: 43.64, west: 1.78, north: 45.00, east: 3.51),
        DepartementGeography("13", .lambert93, south: 43.10, west: 4.18, north: 43.98, east: 5.87),
        DepartementGeography("14", .lambert93, south: 48.70, west: -1.21, north: 49.48, east: 0.50),
        DepartementGeography("15", .lambert93, south: 44.56, west: 2.01, north: 45.54, east: 3.43),
        DepartementGeography("16", .lambert93, south: 45.14, west: -0.52, north: 46.20, east: 1.00),
        DepartementGeography("17", .lambert93, south: 45.03, west: -1.62, north: 46.43, east: 0.06),
        DepartementGeography("18", .lambert93, south: 46.37, west: 1.72, north: 47.68, east: 3.13),
        DepartementGeography("19", .lambert93, south: 44.87, west: 1.17, north: 45.82, east: 2.58),
        DepartementGeography("2A", .lambert93, south: 41.28, west: 8.48, north: 42.44, east: 9.46),
        DepartementGeography("2B", .lambert93, south: 41.78, west: 8.52, north: 43.08, east: 9.61),
        DepartementGeography("21", .lambert93, south: 46.85, west: 4.01, north: 48.09, east: 5.57),
        DepartementGeography("22", .lambert93, south: 47.99, west: -3.72, north: 48.94, east: -1.85),
        DepartementGeography("23", .lambert93, south: 45.61, west: 1.32, north: 46.51, east: 2.67),
        DepartementGeography("24", .lambert93, south: 44.52, west: -0.10, north: 45.77, east: 1.50),
        DepartementGeography("25", .lambert93, south: 46.50, west: 5.64, north: 47.63, east: 7.12),
        DepartementGeography("26", .lambert93, south: 44.06, west: 4.59, north: 45.40, east: 5.89),
        DepartementGeography("27", .lambert93, south: 48.61, west: 0.24, north: 49.54, east: 1.86),
        DepartementGeography("28", .lambert93, south: 47.90, west: 0.70, north: 49.00, east: 2.05),
        DepartementGeography("29", .lambert93, south: 47.65, west: -5.20, north: 48.81, east: -3.33),
        DepartementGeography("30", .lambert93, south: 43.41, west: 3.21, north: 44.51, east: 4.90),
        DepartementGeography("31", .lambert93, south: 42.63, west: 0.39, north: 43.98, east: 2.10),
        DepartementGeography("32", .lambert93, south: 43.26, west: -0.34, north: 44.14, east: 1.26),
        DepartementGeography("33", .lambert93, south: 44.14, west: -1.32, north: 45.66, east: 0.37),
        DepartementGeography("34", .lambert93, south: 43.16, west: 2.48, north: 44.03, east: 4.25),
        DepartementGeography("35", .lambert93, south: 47.58, west: -2.34, north: 48.76, east: -0.96),
        DepartementGeography("36", .lambert93, south: 46.29, west: 0.81, north: 47.33, east: 2.26),
        DepartementGeography("37", .lambert93, south: 46.68, west: 0.00, north: 47.76, east: 1.42),
        DepartementGeography("38", .lambert93, south: 44.64, west: 4.69, north: 45.94, east: 6.41),
        DepartementGeography("39", .lambert93, south: 46.21, west: 5.20, north: 47.36, east: 6.26),
        DepartementGeography("40", .lambert93, south: 43.43, west: -1.58, north: 44.59, east: 0.19),
        DepartementGeography("41", .lambert93, south: 47.13, west: 0.53, north: 48.19, east: 2.30),
        DepartementGeography("42", .lambert93, south: 45.18, west: 3.63, north: 46.33, east: 4.82),
        DepartementGeography("43", .lambert93, south: 44.69, west: 3.03, north: 45.48, east: 4.55),
        DepartementGeography("44", .lambert93, south: 46.81, west: -2.68, north: 47.89, east: -0.89),
        DepartementGeography("45", .lambert93, south: 47.43, west: 1.46, north: 48.40, east: 3.18),
        DepartementGeography("46", .lambert93, south: 44.15, west: 0.93, north: 45.10, east: 2.27),
        DepartementGeography("47", .lambert93, south: 43.92, west: -0.20, north: 44.82, east: 1.13),
        DepartementGeography("48", .lambert93, south: 44.05, west: 2.93, north: 45.03, east: 4.05),
        DepartementGeography("49", .lambert93, south: 46.91, west: -1.31, north: 47.86, east: 0.29),
        DepartementGeography("50", .lambert93, south: 48.40, west: -2.00, north: 49.78, east: -0.68),
        DepartementGeography("51", .lambert93, south: 48.46, west: 3.34, north: 49.46, east: 5.09),
        DepartementGeography("52", .lambert93, south: 47.52, west: 4.57, north: 48.74, east: 5.95),
        DepartementGeography("53", .lambert93, south: 47.68, west: -1.29, north: 48.62, east: 0.01),
        DepartementGeography("54", .lambert93, south: 48.29, west: 5.37, north: 49.62, east: 7.18),
        DepartementGeography("55", .lambert93, south: 48.35, west: 4.83, north: 49.67, east: 5.91),
        DepartementGeography("56", .lambert93, south: 47.22, west: -3.79, north: 48.27, east: -1.98),
        DepartementGeography("57", .lambert93, south: 48.47, west: 5.84, north: 49.57, east: 7.70),
        DepartementGeography("58", .lambert93, south: 46.60, west: 2.79, north: 47.64, east: 4.29),
        DepartementGeography("59", .lambert93, south: 49.91, west: 2.03, north: 51.14, east: 4.29),
        DepartementGeography("60", .lambert93, south: 49.01, west: 1.63, north: 49.82, east: 3.22),
        DepartementGeography("61", .lambert93, south: 48.12, west: -0.92, north: 49.03, east: 1.03),
        DepartementGeography("62", .lambert93, south: 49.96, west: 1.50, north: 51.07, east: 3.24),
        DepartementGeography("63", .lambert93, south: 45.23, west: 2.33, north: 46.31, east: 4.04),
        DepartementGeography("64", .lambert93, south: 42.72, west: -1.85, north: 43.65, east: 0.08),
        DepartementGeography("65", .lambert93, south: 42.62, west: -0.38, north: 43.67, east: 0.70),
        DepartementGeography("66", .lambert93, south: 42.28, west: 1.67, north: 42.97, east: 3.23),
        DepartementGeography("67", .lambert93, south: 48.07, west: 6.89, north: 49.13, east: 8.29),
        DepartementGeography("68", .lambert93, south: 47.37, west: 6.79, north: 48.37, east: 7.68),
        DepartementGeography("69", .lambert93, south: 45.40, west: 4.19, north: 46.36, east: 5.21),
        DepartementGeography("70", .lambert93, south: 47.20, west: 5.31, north: 48.08, east: 6.88),
        DepartementGeography("71", .lambert93, south: 46.10, west: 3.57, north: 47.21, east: 5.52),
        DepartementGeography("72", .lambert93, south: 47.51, west: -0.50, north: 48.54, east: 0.97),
        DepartementGeography("73", .lambert93, south: 45.00, west: 5.57, north: 45.99, east: 7.24),
        DepartementGeography("74", .lambert93, south: 45.63, west: 5.75, north: 46.46, east: 7.10),
        DepartementGeography("75", .lambert93, south: 48.76, west: 2.17, north: 48.96, east: 2.52),
        DepartementGeography("76", .lambert93, south: 49.20, west: 0.01, north: 50.13, east: 1.85),
        DepartementGeography("77", .lambert93, south: 48.07, west: 2.34, north: 49.17, east: 3.61),
        DepartementGeography("78", .lambert93, south: 48.38, west: 1.39, north: 49.14, east: 2.28),
        DepartementGeography("79", .lambert93, south: 45.91, west: -0.96, north: 47.16, east: 0.28),
        DepartementGeography("80", .lambert93, south: 49.52, west: 1.33, north: 50.42, east: 3.26),
        DepartementGeography("81", .lambert93, south: 43.33, west: 1.48, north: 44.26, east: 2.99),
        DepartementGeography("82", .lambert93, south: 43.71, west: 0.68, north: 44.45, east: 2.06),
        DepartementGeography("83", .lambert93, south: 42.93, west: 5.60, north: 43.86, east: 6.99),
        DepartementGeography("84", .lambert93, south: 43.60, west: 4.59, north: 44.49, east: 5.81),
        DepartementGeography("85", .lambert93, south: 46.21, west: -2.46, north: 47.14, east: -0.48),
        DepartementGeography("86", .lambert93, south: 45.99, west: -0.16, north: 47.23, east: 1.27),
        DepartementGeography("87", .lambert93, south: 45.38, west: 0.57, north: 46.46, east: 1.97),
        DepartementGeography("88", .lambert93, south: 47.76, west: 5.34, north: 48.57, east: 7.25),
        DepartementGeography("89", .lambert93, south: 47.26, west: 2.79, north: 48.46, east: 4.40),
        DepartementGeography("90", .lambert93, south: 47.38, west: 6.70, north: 47.88, east: 7.20),
        DepartementGeography("91", .lambert93, south: 48.23, west: 1.86, north: 48.83, east: 2.64),
        DepartementGeography("92", .lambert93, south: 48.67, west: 2.09, north: 49.01, east: 2.39),
        DepartementGeography("93", .lambert93, south: 48.75, west: 2.23, north: 49.07, east: 2.66),
        DepartementGeography("94", .lambert93, south: 48.63, west: 2.25, north: 48.92, east: 2.67),
        DepartementGeography("95", .lambert93, south: 48.85, west: 1.55, north: 49.30, east: 2.65),
        DepartementGeography("971", .antillesUTM20N, south: 15.78, west: -61.86, north: 16.57, east: -60.95),
        DepartementGeography("972", .antillesUTM20N, south: 14.34, west: -61.28, north: 14.93, east: -60.76),
        DepartementGeography("973", .guyaneUTM22N, south: 2.06, west: -54.66, north: 5.80, east: -51.56),
        DepartementGeography("974", .reunionUTM40S, south: -21.44, west: 55.16, north: -20.82, east: 55.89),
        DepartementGeography("975", .saintPierreUTM21N, south: 46.69, west: -56.47, north: 47.20, east: -56.06),
        DepartementGeography("976", .mayotteUTM38S, south: -13.06, west: 44.96, north: -12.58, east: 45.35),
        DepartementGeography("977", .antillesUTM20N, south: 17.80, west: -63.01, north: 18.03, east: -62.73),
        DepartementGeography("978", .antillesUTM20N, south: 17.98, west: -63.21, north: 18.18, east: -62.91),
    ]

    /// A distinct number for each code shape: `NN` is NN, `NNN` is 100 + NNN, `2A`/`2B` are 1100/1101.
    @inline(__always)
    private static func key<Bytes: Collection<UInt8>>(_ code: Bytes) -> Int? {
        var bytes = code.makeIterator()
        guard let first = bytes.next(), let second = bytes.next() else { return nil }
        let third = bytes.next()
        guard bytes.next() == nil, let tens = digit(first) else { return nil }
        if second == UInt8(ascii: "A") || second == UInt8(ascii: "B") {
            guard tens == 2, third == nil else { return nil }
            return second == UInt8(ascii: "A") ? 1100 : 1101
        }
        guard let units = digit(second) else { return nil }
        guard let third else { return tens * 10 + units }
        guard let last = digit(third) else { return nil }
        return 100 + tens * 100 + units * 10 + last
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        let value = Int(byte) &- 0x30
        return value >= 0 && value < 10 ? value : nil
    }

    /// `all`'s position for each key, -1 where there is no département.
    private static let positions: [Int16] = {
        var table = [Int16](repeating: -1, count: 1102)
        for (position, entry) in all.enumerated() {
            if let key = key(Array(entry.code.utf8)) { table[key] = Int16(position) }
        }
        return table
    }()
}
