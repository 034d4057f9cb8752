/// The accepted spellings of a NAF code.
///
/// A code is a 2-digit division, optionally followed by one group digit, optionally by the class
/// digit, optionally by a subclass letter after a full class:
///
///     43    43.2  432    43.29  4329    43.29A  4329A  43.29a
///
/// Spaces (U+0020 only) may surround the whole code, surround the dot or stand in its place, and
/// precede the letter: ` 43 . 29 a `, `43 29 A`. No other character is accepted: not tabs,
/// newlines, dashes, quotes, and no space inside the division or the class digits.
enum NAFCodeParser {
    struct Parsed {
        let compact: String
        let level: NAFLevel
    }

    static func parse(_ text: String) throws(NAFError) -> Parsed {
        func reject(_ reason: String) -> NAFError { .invalidCode(value: text, reason: reason) }

        let scalars = Array(text.unicodeScalars)
        var position = 0
        func skipSpaces() { while position < scalars.count, scalars[position] == " " { position += 1 } }
        func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
        func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { ("0"..."9").contains($0) } ?? false }

        skipSpaces()
        guard let first = peek() else { throw reject("empty") }
        guard isDigit(first) else {
            throw reject("it must start with the 2 digits of a division, found \(describe(first))")
        }
        var compact = String(first)
        position += 1
        guard isDigit(peek()) else {
            if let next = peek(), next != " " {
                throw reject("a division has 2 digits, found \(describe(next)) after \(compact)")
            }
            throw reject("a division has 2 digits")
        }
        compact.unicodeScalars.append(scalars[position])
        position += 1

        // Separator between division and group: a dot and/or spaces.
        skipSpaces()
        var sawDot = false
        if peek() == "." {
            sawDot = true
            position += 1
            skipSpaces()
        }

        var extraDigits = 0
        while isDigit(peek()) {
            guard extraDigits < 2 else {
                throw reject("too many digits: a class has 4, as in 43.29")
            }
            compact.unicodeScalars.append(scalars[position])
            position += 1
            extraDigits += 1
        }
        if sawDot && extraDigits == 0 {
            throw reject(peek().map { "expected a digit after the dot, found \(describe($0))" }
                ?? "expected a digit after the dot")
        }

        var level: NAFLevel = extraDigits == 0 ? .division : (extraDigits == 1 ? .group : .class)
        if extraDigits == 2 { skipSpaces() }
        if let next = peek(), next.properties.isAlphabetic, next.isASCII {
            let upper = Character(next).uppercased()
            guard extraDigits == 2 else {
                throw reject("a subclass letter must follow the 4 digits of a class, as in 69.20Z; found "
                    + "\(describe(next)) after \(compact.count) digits")
            }
            guard let byte = upper.utf8.first, NAFNomenclature(subclassLetter: byte) != nil else {
                throw reject("\(describe(next)) is not a subclass letter: NAF rév. 2 uses A-F and Z, "
                    + "NAF 2025 G-L and Y")
            }
            compact += upper
            level = .subclass
            position += 1
        }

        skipSpaces()
        if let next = peek() {
            if isDigit(next) {
                throw reject(level == .subclass
                    ? "unexpected digit \(describe(next)) after the subclass letter"
                    : "unexpected digit \(describe(next)): spaces are allowed only around the dot and before the letter")
            }
            throw reject("unexpected \(describe(next)) after \(compact)")
        }
        let division = compact.prefix(2)
        guard divisions.contains(String(division)) else {
            throw reject("there is no NAF division \(division); the divisions are \(divisionRanges)")
        }
        return Parsed(compact: compact, level: level)
    }

    /// The 88 divisions of NAF rév. 2 (INSEE), as ranges; NAF 2025's 87 are the same but 45, whose
    /// trade in vehicles moved to 46 and 47. A code under any other two digits can match nothing.
    static let divisionSpans: [ClosedRange<Int>] = [
        1...3, 5...9, 10...33, 35...39, 41...43, 45...47, 49...53, 55...56, 58...66, 68...75, 77...82, 84...88, 90...99,
    ]
    static let divisions: Set<String> = Set(divisionSpans.flatMap { $0 }.map { $0 < 10 ? "0\($0)" : "\($0)" })
    static let divisionRanges = divisionSpans.map { span in
        [span.lowerBound, span.upperBound].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: "-")
    }.joined(separator: ", ")

    /// A character as error messages show it: `'-'`, or `U+000A` when it is not printable.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value >= 0x21, scalar.value < 0x7F { return "'\(Character(scalar))'" }
        if scalar == " " { return "a space" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace { return code }
        return "'\(Character(scalar))' (\(code))"
    }
}
