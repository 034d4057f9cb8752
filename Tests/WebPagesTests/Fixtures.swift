import Foundation
import TestSupport
import WebPages

/// The small French sites of `Fixtures/`, read as the pipeline will read fetched pages.
enum Fixtures {
    static let directory = packageRoot.appendingPathComponent("Tests/WebPagesTests/Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The fixture `name` read as the page at `address`.
    static func page(_ name: String, at address: String) throws -> HTMLPage {
        HTMLPage(html: try bytes(name), address: try Fixtures.address(address))
    }

    static func address(_ text: String) throws -> WebAddress {
        guard let address = WebAddress(text) else { throw FixtureError(message: "not an address: \(text)") }
        return address
    }

    struct FixtureError: Error { let message: String }

    /// Boulangerie Martin, 12 rue des Lilas, 75011 Paris (its legal notice shows its SIREN).
    static let martin = CompanyIdentity(
        siren: "732829320", siret: "73282932000074",
        names: ["BOULANGERIE MARTIN (BM)", "SARL BOULANGERIE MARTIN", "AU BON PAIN MARTIN"], postalCode: "75011")
}
