import NAF
import Testing

@Suite("NAF code parsing")
struct NAFCodeParsingTests {
    struct Valid: CustomTestStringConvertible, Sendable {
        let input: String
        let compact: String
        let level: NAFLevel
        var testDescription: String { input.debugDescription }
    }

    static let valid: [Valid] = [
        .init(input: "43", compact: "43", level: .division),
        .init(input: "01", compact: "01", level: .division),
        .init(input: "43.2", compact: "432", level: .group),
        .init(input: "432", compact: "432", level: .group),
        .init(input: "43.29", compact: "4329", level: .class),
        .init(input: "4329", compact: "4329", level: .class),
        .init(input: "43.29A", compact: "4329A", level: .subclass),
        .init(input: "4329A", compact: "4329A", level: .subclass),
        .init(input: "43.29a", compact: "4329A", level: .subclass),
        .init(input: "69.20Z", compact: "6920Z", level: .subclass),
        .init(input: "69.20z", compact: "6920Z", level: .subclass),
        .init(input: "47.11F", compact: "4711F", level: .subclass),
        .init(input: "69.20Y", compact: "6920Y", level: .subclass),
        .init(input: "53.20g", compact: "5320G", level: .subclass),
        .init(input: "56.11J", compact: "5611J", level: .subclass),
        .init(input: "47.11L", compact: "4711L", level: .subclass),
        .init(input: " 43 . 29 a ", compact: "4329A", level: .subclass),
        .init(input: "43 29 A", compact: "4329A", level: .subclass),
        .init(input: "4329 A", compact: "4329A", level: .subclass),
        .init(input: "43 2", compact: "432", level: .group),
        .init(input: "  43  ", compact: "43", level: .division),
        .init(input: "43 .2", compact: "432", level: .group),
    ]

    @Test(arguments: valid)
    func parsesValidCodes(_ example: Valid) throws {
        let code = try NAFCode(parsing: example.input)
        #expect(code.compact == example.compact)
        #expect(code.level == example.level)
        #expect(NAFCode.isValid(example.input))
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        let input: String
        let reasonContains: String
        var testDescription: String { input.debugDescription }
    }

    static let invalid: [Invalid] = [
        .init(input: "", reasonContains: "empty"),
        .init(input: "   ", reasonContains: "empty"),
        .init(input: "6", reasonContains: "a division has 2 digits"),
        .init(input: "4 3", reasonContains: "a division has 2 digits"),
        .init(input: "12345", reasonContains: "too many digits"),
        .init(input: "69.2Z9", reasonContains: "a subclass letter must follow the 4 digits of a class"),
        .init(input: "43.29M", reasonContains: "'M' is not a subclass letter"),
        .init(input: "43.29x", reasonContains: "'x' is not a subclass letter"),
        .init(input: "43-29", reasonContains: "unexpected '-' after 43"),
        .init(input: "43.29A\n", reasonContains: "unexpected U+000A after 4329A"),
        .init(input: "43\n.29", reasonContains: "U+000A"),
        .init(input: "\t43", reasonContains: "U+0009"),
        .init(input: "\"43\"", reasonContains: "found '\"'"),
        .init(input: "43.29A\"", reasonContains: "unexpected '\"'"),
        .init(input: "43.", reasonContains: "expected a digit after the dot"),
        .init(input: "43..2", reasonContains: "expected a digit after the dot, found '.'"),
        .init(input: "43.2 9", reasonContains: "unexpected digit '9'"),
        .init(input: "43 A", reasonContains: "a subclass letter must follow"),
        .init(input: "4329AZ", reasonContains: "unexpected 'Z' after 4329A"),
        .init(input: "4329A1", reasonContains: "unexpected digit '1' after the subclass letter"),
        .init(input: "A4329", reasonContains: "must start with the 2 digits of a division"),
        .init(input: "43.29é", reasonContains: "U+00E9"),
        .init(input: "４３", reasonContains: "must start with the 2 digits"),
        .init(input: "43.29A: x", reasonContains: "unexpected ':'"),
        .init(input: "00", reasonContains: "there is no NAF division 00; the divisions are 01-03, 05-09"),
        .init(input: "04.1", reasonContains: "there is no NAF division 04"),
        .init(input: "34.10Z", reasonContains: "there is no NAF division 34"),
        .init(input: "89", reasonContains: "there is no NAF division 89"),
    ]

    /// Every division of NAF rév. 2 and only those: 88 of them, none of the 12 gaps.
    @Test func divisionsAreTheRealOnes() {
        let all = (0...99).map { $0 < 10 ? "0\($0)" : "\($0)" }
        let accepted = all.filter { NAFCode.isValid($0) }
        #expect(accepted.count == 88)
        #expect(Set(all).subtracting(accepted) == ["00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"])
        #expect(NAFCode.isValid("99.00Z") && NAFCode.isValid("01.11Z") && NAFCode.isValid("45.11Z"))
    }

    @Test(arguments: invalid)
    func rejectsInvalidCodes(_ example: Invalid) {
        #expect(!NAFCode.isValid(example.input))
        do {
            let code = try NAFCode(parsing: example.input)
            Issue.record("\(example.input.debugDescription) parsed as \(code)")
        } catch {
            let message = error.description
            #expect(message.hasPrefix(example.input.debugDescription + " is not a NAF code ("), "\(message)")
            #expect(message.contains(example.reasonContains), "\(message)")
            #expect(!message.contains("\n"), "the message stays on one line: \(message)")
        }
    }

    @Test func formsAndNicheNames() throws {
        let subclass = try NAFCode(parsing: "69.20z")
        #expect(subclass.compact == "6920Z")
        #expect(subclass.dotted == "69.20Z")
        #expect(subclass.nicheName == "naf_6920Z")
        #expect(subclass.description == "69.20Z")
        #expect(subclass.subclassLetter == "Z")

        let division = try NAFCode(parsing: "43")
        #expect(division.dotted == "43")
        #expect(division.nicheName == "naf_43")
        #expect(division.subclassLetter == nil)

        #expect(try NAFCode(parsing: "432").dotted == "43.2")
        #expect(try NAFCode(parsing: "4329").dotted == "43.29")
        #expect(try NAFCode(parsing: "4329").nicheName == "naf_4329")
    }

    @Test func nomenclatureImpliedBySubclassLetter() throws {
        for code in ["43.29A", "43.29B", "43.32C", "43.99D", "43.99E", "47.11F", "69.20Z"] {
            #expect(try NAFCode(parsing: code).nomenclature == .rev2)
        }
        for code in ["43.21G", "43.21H", "43.41J", "47.11K", "47.11L", "43.23Y"] {
            #expect(try NAFCode(parsing: code).nomenclature == .naf2025)
        }
        // I lies in the G-L range the parser reads as NAF 2025, but no NAF 2025 subclass uses it.
        #expect(throws: NAFError.self) { try NAFCode(parsing: "43.21I") }
        for code in ["43", "43.2", "43.29"] {
            #expect(try NAFCode(parsing: code).nomenclature == nil)
            #expect(try NAFCode(parsing: code).isCompatible(with: .rev2))
            #expect(try NAFCode(parsing: code).isCompatible(with: .naf2025))
        }
        #expect(try !NAFCode(parsing: "43.21G").isCompatible(with: .rev2))
        #expect(try !NAFCode(parsing: "43.21A").isCompatible(with: .naf2025))
    }

    @Test func equalityIsByNiche() throws {
        #expect(try NAFCode(parsing: "43.29a") == NAFCode(parsing: "4329A"))
        #expect(try NAFCode(parsing: "43.29") != NAFCode(parsing: "43.29A"))
        let codes = try ["4329A", "43.29a", "69.20Z", " 43 . 29 A ", "43", "6920Z"].map { try NAFCode(parsing: $0) }
        #expect(NAFCode.deduplicated(codes).map(\.compact) == ["4329A", "6920Z", "43"])
    }

    @Test func levelsAreOrderedBySpecificity() {
        #expect(NAFLevel.division < .group)
        #expect(NAFLevel.group < .class)
        #expect(NAFLevel.class < .subclass)
        #expect(NAFLevel.allCases.map(\.rawValue) == ["division", "group", "class", "subclass"])
    }
}
