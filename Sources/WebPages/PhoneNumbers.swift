import Basics

/// The numbering area of a French number: metropolitan France, or an overseas département or
/// collectivity with its own country code.
public enum PhoneTerritory: String, Sendable, CaseIterable {
    case metropolitan
    /// +590: Guadeloupe, Saint-Martin, Saint-Barthélemy (national 0590, 0690, 0691).
    case guadeloupe
    /// +594: French Guiana (0594, 0694).
    case guyane
    /// +596: Martinique (0596, 0696, 0697).
    case martinique
    /// +262: La Réunion (0262, 0263, 0692, 0693).
    case reunion
    /// +262: Mayotte (0269, 0639).
    case mayotte
    /// +508: Saint-Pierre-et-Miquelon (6 digits after the country code).
    case saintPierreEtMiquelon

    public var countryCode: String {
        switch self {
        case .metropolitan: "33"
        case .guadeloupe: "590"
        case .guyane: "594"
        case .martinique: "596"
        case .reunion, .mayotte: "262"
        case .saintPierreEtMiquelon: "508"
        }
    }
}

/// A French phone number in E.164 form (`+33123456789`, `+590590123456`).
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let e164: String
    public let territory: PhoneTerritory
    /// A premium-rate number (089x): kept, but ranked last.
    public let isPremiumRate: Bool

    public var description: String { e164 }
}

/// A phone number found on a page (`telephone`, `telephone_source`).
public struct FoundPhone: Sendable, Hashable {
    public let number: PhoneNumber
    /// The page it was found on.
    public let source: WebAddress
    public let origin: ContactOrigin
}

/// French phone numbers in pages, normalised to E.164.
///
/// Spellings read: `01 23 45 67 89`, `01.23.45.67.89`, `01-23-45-67-89`, `0123456789`,
/// `+33 1 23 45 67 89`, `+33 (0)1 23 45 67 89`, `+33 01 23 45 67 89`, `(+33) 1 23 45 67 89`,
/// `0033 1 23 45 67 89`, `+33123456789`, and the overseas ones (`0590 12 34 56`,
/// `+590 590 12 34 56`, `+262 692 12 34 56`, `+508 41 23 45`). Groups of digits are separated by
/// one space (or non-breaking space), dot or hyphen.
///
/// National numbers have 10 digits, `0` then `1`-`9`. The national prefixes of the overseas
/// départements map to their country codes (`overseasPrefixes`: 0590/0690/0691 → +590,
/// 0594/0694 → +594, 0596/0696/0697 → +596, 0262/0263/0692/0693/0269/0639 → +262), also when
/// written after +33 by mistake. +508 (Saint-Pierre-et-Miquelon) takes 6 digits. Other country
/// codes are not read (this is about French companies).
///
/// In text, what is not a phone number is refused: a run of digits of another length
/// (a SIRET, a SIREN, a postal code, a date, a price), a national number with a one-digit group
/// (`0-12-345678-9`, an ISBN), a number glued to letters (`FR76...`, an IBAN), a number inside a longer run of groups unless the number is the complete
/// `2-2-2-2-2` or `4-2-2-2` grouping at its start (`01 23 45 67 89 75011 Paris` gives the
/// phone), ten digits written without separators unless a word such as `tél`, `tel`,
/// `téléphone`, `phone`, `portable`, `mobile` or `appel` comes just before, and a number that
/// a `fax` or `télécopie` label announces (unless a phone label is there too: `Tél./Fax`).
public enum PhoneNumbers {
    /// The whole of `text` as one number (a `tel:` target, a JSON-LD value, a team's value);
    /// nil when it is not a French number.
    public static func normalise(_ text: String) -> PhoneNumber? {
        var digits: [UInt8] = []
        var international = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value))
            case "+" where digits.isEmpty && !international:
                international = true
            // Visual separators (RFC 3966 allows `-`, `.`, `(`, `)` in tel: targets).
            case " ", "\u{A0}", "\u{202F}", "\u{2009}", "\t", "-", ".", "(", ")", "/":
                continue
            default:
                return nil
            }
        }
        return interpret(digits, international: international, trunkZero: false)
    }

    /// The most numbers read from one text: the same bound as for e-mail addresses.
    public static let maximumFound = EmailAddresses.maximumFound

    /// The numbers written in `text`, in order, duplicates kept, at most `maximumFound`.
    public static func find(inText text: String) -> [PhoneNumber] {
        find(inText: text, skippingThirdParties: false)
    }

    /// The numbers of `text`; with `skippingThirdParties`, not those `ThirdPartyContext`
    /// attributes to the host or the web agency.
    static func find(inText text: String, skippingThirdParties: Bool) -> [PhoneNumber] {
        var found: [PhoneNumber] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            var index = 0
            while index < buffer.count {
                let byte = buffer[index]
                let startsNumber = byte == UInt8(ascii: "+") || ASCII.isDigit(byte)
                    || (byte == UInt8(ascii: "(") && index + 1 < buffer.count && buffer[index + 1] == UInt8(ascii: "+"))
                guard startsNumber else {
                    index += 1
                    continue
                }
                if found.count == maximumFound { break }
                let (number, end) = read(buffer, at: index)
                if let number, !skippingThirdParties || !ThirdPartyContext.isThirdParty(buffer, before: index) { found.append(number) }
                index = max(end, index + 1)
            }
        }
        return found
    }

    /// Every number of `page`: its `tel:` links, its text, its JSON-LD organisation, in that
    /// order, each number once.
    public static func find(on page: HTMLPage) -> [FoundPhone] {
        var seen = Set<String>()
        var found: [FoundPhone] = []
        func add(_ number: PhoneNumber?, _ origin: ContactOrigin) {
            guard let number, seen.insert(number.e164).inserted else { return }
            found.append(FoundPhone(number: number, source: page.address, origin: origin))
        }
        for target in page.telephoneLinks { add(normalise(target), .link) }
        for number in find(inText: page.text, skippingThirdParties: true) { add(number, .text) }
        for organization in page.organizations {
            for telephone in organization.telephones { add(normalise(telephone), .linkedData) }
        }
        return found
    }

    /// Ranks numbers: premium-rate ones (089x) last, otherwise the order found (pages in the
    /// order read; on a page, `tel:` links, then the text, then JSON-LD).
    public static func rank(_ phones: [FoundPhone]) -> [FoundPhone] {
        phones.filter { !$0.number.isPremiumRate } + phones.filter(\.number.isPremiumRate)
    }

    /// National prefixes (the 3 digits after `0`) of the overseas territories.
    public static let overseasPrefixes: [String: PhoneTerritory] = [
        "590": .guadeloupe, "690": .guadeloupe, "691": .guadeloupe,
        "594": .guyane, "694": .guyane,
        "596": .martinique, "696": .martinique, "697": .martinique,
        "262": .reunion, "263": .reunion, "692": .reunion, "693": .reunion,
        "269": .mayotte, "639": .mayotte,
    ]

    // MARK: Reading

    /// Reads the number starting at `start`; returns it (nil when the digits there are not a
    /// phone number) and the index after the digits looked at.
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (PhoneNumber?, Int) {
        let end = bytes.count
        var cursor = start
        var parenthesised = false
        var international = false
        if bytes[cursor] == UInt8(ascii: "(") {
            parenthesised = true
            cursor += 1
        }
        if bytes[cursor] == UInt8(ascii: "+") {
            international = true
            cursor += 1
            guard cursor < end, ASCII.isDigit(bytes[cursor]) else { return (nil, cursor) }
        }
        // A number glued to a letter or a digit before it is part of something else.
        if start > 0, !international {
            let before = bytes[start - 1]
            if ASCII.isAlphanumeric(before) || before == UInt8(ascii: ",") || before == UInt8(ascii: "/") {
                return (nil, skipChain(bytes, from: cursor))
            }
        }
        var groups: [Range<Int>] = []
        var trunkZero = false
        while true {
            let groupStart = cursor
            while cursor < end, ASCII.isDigit(bytes[cursor]) { cursor += 1 }
            groups.append(groupStart..<cursor)
            if groups.count > 8 { return (nil, skipChain(bytes, from: cursor)) }
            var next = cursor
            if parenthesised, groups.count == 1 {
                guard next < end, bytes[next] == UInt8(ascii: ")") else { return (nil, cursor) }
                next += 1
                parenthesised = false
            }
            next += DigitChain.separatorLength(bytes, at: next, hyphens: true)
            if international, groups.count == 1, !trunkZero, hasPrefix(bytes, at: next, "(0)") {
                trunkZero = true
                next += 3
                next += DigitChain.separatorLength(bytes, at: next, hyphens: true)
            }
            guard next < end, next > cursor, ASCII.isDigit(bytes[next]) else { break }
            cursor = next
        }
        if cursor < end, ASCII.isLetter(bytes[cursor]) { return (nil, cursor) }
        // The shortest number read has 9 digits (+508 and 6); most runs of digits are shorter.
        let total = groups.reduce(0) { $0 + $1.count }
        if total < 9 { return (nil, cursor) }
        var digits: [UInt8] = []
        for group in groups { digits.append(contentsOf: bytes[group]) }
        if !international, digits.count > 10, let prefix = canonicalPrefix(groups) {
            digits = Array(digits.prefix(10))
            cursor = groups[prefix].upperBound
            groups = Array(groups[...prefix])
        }
        // A national number is written in groups of two digits or more (`0-12-345678-9` is an ISBN).
        if !international, !digits.starts(with: [0x30, 0x30]), groups.contains(where: { $0.count < 2 }) { return (nil, cursor) }
        guard let number = interpret(digits, international: international, trunkZero: trunkZero) else { return (nil, cursor) }
        if !international, groups.count == 1, !hasPhoneLabel(bytes, before: start) { return (nil, cursor) }
        if hasFaxLabel(bytes, before: start) { return (nil, cursor) }
        return (number, cursor)
    }

    /// The last group of a complete `2-2-2-2-2` or `4-2-2-2` grouping at the start of a longer
    /// chain, when the group after it does not continue the pairs.
    private static func canonicalPrefix(_ groups: [Range<Int>]) -> Int? {
        let sizes = groups.map(\.count)
        for pattern in [[2, 2, 2, 2, 2], [4, 2, 2, 2]] where sizes.count > pattern.count && Array(sizes.prefix(pattern.count)) == pattern {
            if sizes[pattern.count] != 2 { return pattern.count - 1 }
        }
        return nil
    }

    /// The digits as a number: international (`+` or `00` first) or national (`0` first).
    private static func interpret(_ allDigits: [UInt8], international: Bool, trunkZero: Bool) -> PhoneNumber? {
        var digits = String(decoding: allDigits, as: UTF8.self)
        var isInternational = international
        if !isInternational, digits.hasPrefix("00") {
            digits.removeFirst(2)
            isInternational = true
        }
        if !isInternational {
            guard digits.count == 10, digits.hasPrefix("0"), !digits.hasPrefix("00") else { return nil }
            return make(nationalSignificant: String(digits.dropFirst()), countryCode: nil)
        }
        for code in ["33", "590", "594", "596", "262", "508"] where digits.hasPrefix(code) {
            var rest = String(digits.dropFirst(code.count))
            if code == "508" {
                guard rest.count == 6 else { return nil }
                return PhoneNumber(e164: "+508" + rest, territory: .saintPierreEtMiquelon, isPremiumRate: false)
            }
            // `+33 (0)1...` and the common `+33 01...`.
            if rest.count == 10, rest.hasPrefix("0"), !trunkZero { rest.removeFirst() }
            return make(nationalSignificant: rest, countryCode: code)
        }
        return nil
    }

    /// The 9 digits after the trunk `0` or the country code.
    private static func make(nationalSignificant nsn: String, countryCode: String?) -> PhoneNumber? {
        guard nsn.count == 9, let first = nsn.first, first != "0" else { return nil }
        let territory = overseasPrefixes[String(nsn.prefix(3))] ?? .metropolitan
        if let countryCode, countryCode != "33", countryCode != territory.countryCode { return nil }
        return PhoneNumber(e164: "+" + territory.countryCode + nsn, territory: territory,
                           isPremiumRate: territory == .metropolitan && nsn.hasPrefix("89"))
    }

    private static func skipChain(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var cursor = start
        while cursor < bytes.count {
            if ASCII.isDigit(bytes[cursor]) {
                cursor += 1
                continue
            }
            let separator = DigitChain.separatorLength(bytes, at: cursor, hyphens: true)
            guard separator > 0, cursor + separator < bytes.count, ASCII.isDigit(bytes[cursor + separator]) else { break }
            cursor += separator
        }
        return cursor
    }

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            index + expected.count <= bytes.count && (0..<expected.count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
    }

    /// The folded words of the 24 bytes before `index` on the same line.
    private static func wordsBefore(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> [String] {
        var start = max(0, index - 24)
        while start < index, bytes[start] & 0xC0 == 0x80 { start += 1 }
        if let lineStart = bytes[start..<index].lastIndex(of: 0x0A) { start = lineStart + 1 }
        return TextFolding.words(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    static let phoneLabels: Set<String> = [
        "tel", "telephone", "phone", "portable", "port", "mobile", "mob", "gsm", "appel", "appelez", "fixe", "standard", "t",
    ]
    static let faxLabels: Set<String> = ["fax", "telecopie", "telecopieur"]

    private static func hasPhoneLabel(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        wordsBefore(bytes, index).suffix(2).contains { phoneLabels.contains($0) }
    }

    /// A `fax` label in the last three words before the number, without a phone label
    /// (`Tél./Fax` announces a phone).
    private static func hasFaxLabel(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        let words = wordsBefore(bytes, index).suffix(3)
        return words.contains { faxLabels.contains($0) } && !words.contains { phoneLabels.contains($0) }
    }
}
