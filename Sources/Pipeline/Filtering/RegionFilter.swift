import Basics
import Jobs

/// `filters.regions`: an establishment is kept when, for at least one region code R,
///
/// 1. its postal code is valid (`PostalCode`) and starts with R (`75`, `750`, `75011`, `971`), or
/// 2. its département (`Departement`, from the commune code, else the postal code) is exactly R
///    (`75`, `2A`, `2B`, `971`).
///
/// Rule 2 keeps the establishments whose postal code is masked (`[ND]`, partially diffusible)
/// or missing but whose commune is known, and is the only way to tell `2A` from `2B` (both use
/// `20xxx` postal codes). An empty list keeps everything.
public struct RegionFilter: Sendable {
    public let regions: [JobSpec.Region]
    private let prefixes: [[UInt8]]
    private let departements: Set<DepartementCode>

    public init(_ regions: [JobSpec.Region]) {
        self.regions = regions
        var prefixes: [[UInt8]] = []
        var departements = Set<DepartementCode>()
        for region in regions {
            switch region {
            case let .postalCodePrefix(code):
                prefixes.append(Array(code.utf8))
                if let departement = DepartementCode(code) { departements.insert(departement) }
            case let .corsicanDepartment(code):
                if let departement = DepartementCode(code) { departements.insert(departement) }
            }
        }
        self.prefixes = prefixes
        self.departements = departements
    }

    public var isEmpty: Bool { regions.isEmpty }

    /// Whether the filter needs the commune code (rule 2 with a département-shaped code).
    public var usesDepartements: Bool { !departements.isEmpty }

    public func matches(postalCode: UnsafeRawBufferPointer?, communeCode: UnsafeRawBufferPointer?) -> Bool {
        if regions.isEmpty { return true }
        if let postalCode, PostalCode.isValid(postalCode) {
            for prefix in prefixes where prefix.count <= 5 {
                var matched = true
                for index in 0..<prefix.count where prefix[index] != postalCode[index] {
                    matched = false
                    break
                }
                if matched { return true }
            }
        }
        guard !departements.isEmpty,
              let departement = Departement.code(communeCode: communeCode, postalCode: postalCode) else { return false }
        return departements.contains(departement)
    }

    public func matches(postalCode: String?, communeCode: String?) -> Bool {
        withOptionalBytes(postalCode.map { Array($0.utf8) }) { postal in
            withOptionalBytes(communeCode.map { Array($0.utf8) }) { commune in
                matches(postalCode: postal, communeCode: commune)
            }
        }
    }
}
