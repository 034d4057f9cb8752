import Testing
import Conversion
import Parquet

/// `TextColumnType.parse` says why a type name is refused: a decimal out of range is not an
/// unknown type.
struct TypeNameProblemTests {
    @Test(arguments: [
        ("decimal(39,2)", "decimal precision must be between 1 and 38, got 39"),
        ("decimal(0,0)", "decimal precision must be between 1 and 38, got 0"),
        ("decimal(5,6)", "decimal scale must be between 0 and the precision (5), got 6"),
        ("decimal(5,-1)", "decimal scale must be between 0 and the precision (5), got -1"),
        ("decimal(x,2)", "write decimal(P,S) with a precision P from 1 to 38 and a scale S from 0 to P, e.g. decimal(12,2)"),
        ("decimal", "write decimal(P,S) with a precision P from 1 to 38 and a scale S from 0 to P, e.g. decimal(12,2)"),
        ("decimal(12,2", "write decimal(P,S) with a precision P from 1 to 38 and a scale S from 0 to P, e.g. decimal(12,2)"),
    ])
    func badDecimalsSayWhatIsWrong(_ name: String, _ problem: String) {
        #expect(TextColumnType.parse(name) == .failure(.badDecimal(problem)))
        #expect(TextColumnType(name: name) == nil)
    }

    @Test func otherNamesAreUnknownOrParse() {
        #expect(TextColumnType.parse("money") == .failure(.unknown))
        #expect(TextColumnType.parse("decimals") == .failure(.unknown))
        #expect(TextColumnType.parse("DECIMAL(38, 38)") == .success(.decimal(precision: 38, scale: 38)))
        #expect(TextColumnType.parse("int64") == .success(.int64))
    }
}
