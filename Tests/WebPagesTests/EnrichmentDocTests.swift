import Foundation
import TestSupport
import Testing
import WebPages

/// The section "What pages are read for" of `docs/enrichment.md` states the values and tables
/// the code uses.
@Suite struct EnrichmentDocTests {
    static func section() throws -> String {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/enrichment.md"), encoding: .utf8)
        let start = try #require(text.range(of: "\n## What pages are read for\n"))
        let rest = text[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    @Test func evidenceTableListsEveryKind() throws {
        // The rows of the table whose header is `site_web_preuve`, without the header.
        let rows = try Self.section().split(separator: "\n").filter { $0.hasPrefix("| `") }.dropFirst()
        let values = rows.flatMap { line in
            (line.split(separator: "|").first ?? "").split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        #expect(values.sorted() == OwnershipEvidenceKind.allCases.map(\.rawValue).sorted())
        #expect(Set(values).count == values.count)
    }

    @Test func overseasPrefixesAndLimits() throws {
        let section = try Self.section()
        for (prefix, territory) in PhoneNumbers.overseasPrefixes {
            #expect(section.contains("0\(prefix)"), "\(prefix)")
            #expect(section.contains("+\(territory.countryCode)"), "\(territory)")
        }
        #expect(section.contains("at most \(OwnershipProof.nameProximity) bytes apart"))
        #expect(section.contains("5,000 links"))
        #expect(HTMLLimits.standard.maximumLinks == 5_000)
        #expect(section.contains("At most 50,000 locations and 50 MB"))
        #expect(SitemapLimits.standard.maximumLocations == 50_000 && SitemapLimits.standard.maximumBytes == 50 << 20)
    }
}
