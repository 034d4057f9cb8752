import Basics

/// The simple facts a page's JSON-LD (`<script type="application/ld+json">`) gives about an
/// organisation: schema.org `Organization`, `Corporation`, `LocalBusiness` and their usual
/// sub-types (`organizationTypes`, and any type whose name ends in `Business`, `Organization`,
/// `Store`, `Service`, `Agency`, `Office`, `Contractor` or `Clinic`).
///
/// Nodes are found at the top level, in arrays and in `@graph`; values are read when they are
/// strings or arrays of strings (`telephone`, `email` without `mailto:`, `sameAs`), and
/// `contactPoint` and `address` (its `postalCode`) are read one level down. A block that is not
/// valid JSON (trailing commas, comments) is skipped: this is the "simple" case only.
public struct LinkedDataOrganization: Hashable, Sendable {
    /// The node's types, without a `schema:` or `https://schema.org/` prefix.
    public var types: [String] = []
    public var name: String?
    public var url: String?
    public var telephones: [String] = []
    public var emails: [String] = []
    public var sameAs: [String] = []
    public var postalCode: String?
    /// `vatID`, `taxID` and `identifier` (a string, or the `value` of a `PropertyValue`).
    public var identifiers: [String] = []

    static let organizationTypes: Set<String> = [
        "Organization", "Corporation", "LocalBusiness", "NGO", "Restaurant", "Bakery", "Dentist", "Physician",
        "Attorney", "Notary", "Plumber", "Electrician", "Locksmith", "HousePainter", "MovingCompany", "Hotel",
        "Florist", "Pharmacy", "Optician", "RealEstateAgent", "AutoRepair", "AutoDealer", "BeautySalon",
        "HairSalon", "NailSalon", "DaySpa", "Winery", "Brewery", "Distillery", "CafeOrCoffeeShop", "BarOrPub",
        "FoodEstablishment", "LodgingBusiness", "MedicalClinic", "Hospital", "SportsClub", "ExerciseGym",
        "HVACBusiness", "RoofingContractor", "GeneralContractor", "AccountingService", "LegalService",
        "FinancialService", "InsuranceAgency", "EmploymentAgency", "TravelAgency", "ChildCare", "Campground",
        "Veterinary", "VeterinaryCare", "Store", "Library", "Museum",
    ]

    private static let typeSuffixes = ["Business", "Organization", "Store", "Service", "Agency", "Office", "Contractor", "Clinic"]

    /// Every organisation of one JSON-LD block (none when it does not parse).
    static func read(jsonLD text: String) -> [LinkedDataOrganization] {
        guard let value = try? JSON.decode(text, maximumDepth: 64) else { return [] }
        var found: [LinkedDataOrganization] = []
        var budget = 10_000
        collect(value, into: &found, budget: &budget)
        return found
    }

    private static func collect(_ value: StructuredValue, into found: inout [LinkedDataOrganization], budget: inout Int) {
        guard budget > 0, found.count < 50 else { return }
        budget -= 1
        if let array = value.arrayValue {
            for element in array { collect(element, into: &found, budget: &budget) }
            return
        }
        guard let map = value.mapValue else { return }
        let types = strings(map["@type"]).map(localTypeName)
        if types.contains(where: isOrganizationType) {
            found.append(organization(from: map, types: types))
        }
        if let graph = map["@graph"] { collect(graph, into: &found, budget: &budget) }
    }

    private static func organization(from map: StructuredMap, types: [String]) -> LinkedDataOrganization {
        var organization = LinkedDataOrganization()
        organization.types = types
        organization.name = strings(map["name"]).first
        organization.url = strings(map["url"]).first
        organization.telephones = strings(map["telephone"])
        organization.emails = strings(map["email"]).map(withoutMailto)
        organization.sameAs = strings(map["sameAs"])
        for point in maps(map["contactPoint"]) {
            organization.telephones += strings(point["telephone"])
            organization.emails += strings(point["email"]).map(withoutMailto)
        }
        organization.postalCode = maps(map["address"]).lazy.compactMap { strings($0["postalCode"]).first }.first
        for key in ["vatID", "taxID", "identifier"] {
            organization.identifiers += strings(map[key])
            organization.identifiers += maps(map[key]).flatMap { strings($0["value"]) }
        }
        return organization
    }

    private static func isOrganizationType(_ name: String) -> Bool {
        organizationTypes.contains(name) || typeSuffixes.contains { name.hasSuffix($0) }
    }

    /// `schema:LocalBusiness`, `https://schema.org/LocalBusiness` → `LocalBusiness`.
    private static func localTypeName(_ type: String) -> String {
        let afterSlash = type.split(separator: "/").last.map(String.init) ?? type
        return afterSlash.split(separator: ":").last.map(String.init) ?? afterSlash
    }

    private static func withoutMailto(_ text: String) -> String {
        text.lowercased().hasPrefix("mailto:") ? String(text.dropFirst(7)) : text
    }

    /// A string, or the strings of an array (numbers too: a telephone may be written as one).
    private static func strings(_ value: StructuredValue?) -> [String] {
        switch value {
        case .string(let text)?:
            let trimmed = text.trimmingWhitespace()
            return trimmed.isEmpty ? [] : [trimmed]
        case .integer(let number)?: return [String(number)]
        case .array(let elements)?: return elements.prefix(100).flatMap { strings($0) }
        default: return []
        }
    }

    private static func maps(_ value: StructuredValue?) -> [StructuredMap] {
        switch value {
        case .map(let map)?: return [map]
        case .array(let elements)?: return elements.prefix(100).compactMap(\.mapValue)
        default: return []
        }
    }
}
