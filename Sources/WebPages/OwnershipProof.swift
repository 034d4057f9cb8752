import Basics

/// The company a site is checked against: its identifiers, names and postal code, as the
/// SIRENE row gives them.
public struct CompanyIdentity: Sendable, Hashable {
    /// 9 digits (anything else is never found).
    public var siren: String
    /// The establishment's 14 digits, if known.
    public var siret: String?
    /// Its names, best first (the pipeline gives `nom_complet`, `denomination`, `enseigne`).
    public var names: [String]
    /// 5 digits.
    public var postalCode: String?

    public init(siren: String, siret: String? = nil, names: [String] = [], postalCode: String? = nil) {
        self.siren = siren
        self.siret = siret
        self.names = names
        self.postalCode = postalCode
    }
}

/// Why a site is taken as the company's: the values of the `site_web_preuve` column.
public enum OwnershipEvidenceKind: String, Sendable, CaseIterable {
    /// A page shows the company's SIREN.
    case siren
    /// A page shows a SIRET of the company (its SIREN followed by an establishment's number).
    case siret
    /// A page shows the company's name and its postal code.
    case nameAndPostalCode = "nom_code_postal"
    /// The site comes from the team's file of known sites (`known_sites:`); no page proof.
    case knownSitesFile = "fichier"
    /// The site comes from the job's Lua function (`website_candidates:`); no page proof.
    case luaFunction = "lua"
}

/// What a page shows that proves the site is the company's.
public struct OwnershipEvidence: Sendable, Hashable {
    public let kind: OwnershipEvidenceKind
    /// The page that shows it.
    public let page: WebAddress
    /// The words around it, on one line (`RCS Paris B 732 829 320`), for the log.
    public let excerpt: String
}

/// Whether a page shows that its site belongs to a company.
///
/// The rules, strongest first (the first that holds is the evidence):
/// 1. **`siret`**: 14 digits whose first 9 are the SIREN and that are either the row's SIRET or
///    a valid SIRET (Luhn key, La Poste's rule for its own SIREN);
/// 2. **`siren`**: the 9 digits of the SIREN, or the French VAT number made from it
///    (`FR` + its 2-digit key + the SIREN, the key checked);
/// 3. **`nom_code_postal`**: one of the company's names and its postal code close together in
///    the page's text (at most `nameProximity` bytes apart: the same block of an address or a
///    legal notice, not a name in the header and a partner's postal code further down), or as
///    the `name` and `address.postalCode` of its JSON-LD organisation.
///
/// Digits may be grouped with spaces, dots, non-breaking, narrow or thin spaces
/// (`732 829 320`, `732.829.320`, `732 829 320 00074`, `RCS Paris B 732 829 320`), but the number
/// must be made of whole groups of at least two digits (`DigitChain`): `1732829320`, or
/// `732829320` inside a longer run of digits, is not the SIREN. The name is compared as `CompanyName` reads it (folded, legal
/// forms dropped, articles optional on both sides: `SARL LA BOULANGERIE DU CENTRE` matches
/// "Boulangerie du Centre"), as a run of whole words; a name shorter than 3 letters is never
/// enough. The postal code must be a
/// group of exactly 5 digits, not part of a 9- or 14-digit number. The numbers of the page's
/// JSON-LD organisation (`vatID`, `taxID`, `identifier`) count as shown.
public enum OwnershipProof {
    /// The strongest evidence `page` gives, nil when it gives none.
    public static func evidence(on page: HTMLPage, for company: CompanyIdentity) -> OwnershipEvidence? {
        var sources = [page.text]
        let identifiers = page.organizations.flatMap(\.identifiers)
        if !identifiers.isEmpty { sources.append(identifiers.joined(separator: "\n")) }
        var best: (kind: OwnershipEvidenceKind, excerpt: String)?
        for source in sources {
            if let found = numberEvidence(in: source, for: company), best == nil || (best?.kind == .siren && found.kind == .siret) {
                best = found
            }
        }
        if best == nil {
            best = nameAndPostalCodeEvidence(in: page.text, for: company) ?? linkedDataEvidence(page.organizations, for: company)
        }
        return best.map { OwnershipEvidence(kind: $0.kind, page: page.address, excerpt: $0.excerpt) }
    }

    /// The strongest evidence in plain text (the same rules, the text serving for both the name
    /// and the postal code).
    public static func evidence(inText text: String, for company: CompanyIdentity) -> (kind: OwnershipEvidenceKind, excerpt: String)? {
        numberEvidence(in: text, for: company) ?? nameAndPostalCodeEvidence(in: text, for: company)
    }

    // MARK: SIREN and SIRET

    static func numberEvidence(in text: String, for company: CompanyIdentity) -> (kind: OwnershipEvidenceKind, excerpt: String)? {
        let siren = Array(company.siren.utf8)
        guard siren.count == 9, siren.allSatisfy(ASCII.isDigit) else { return nil }
        let siret = company.siret.map { Array($0.utf8) }
        var sirenFound: (kind: OwnershipEvidenceKind, excerpt: String)?
        var siretFound: (kind: OwnershipEvidenceKind, excerpt: String)?
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            DigitChain.scan(buffer, hyphens: false) { chain in
                guard siretFound == nil else { return }
                for first in 0..<chain.groups.count {
                    var count = 0
                    for last in first..<chain.groups.count {
                        // Single digits apart (`7 3 2 8 ...`) are no way of writing a number.
                        if chain.groups[last].count < 2 { break }
                        count += chain.groups[last].count
                        if count > 14 { break }
                        guard count == 9 || count == 14 else { continue }
                        let digits = chain.digits(first..<(last + 1), in: buffer)
                        guard digits.starts(with: siren) else { continue }
                        let range = chain.groups[first].lowerBound..<chain.groups[last].upperBound
                        if count == 9 {
                            if sirenFound == nil { sirenFound = (.siren, Excerpt.around(range, in: buffer)) }
                        } else if digits == siret || isValidSIRET(digits) {
                            siretFound = (.siret, Excerpt.around(range, in: buffer))
                            return
                        }
                    }
                }
                // FR + key + SIREN written as one run of 11 digits (FR12732829320, FR 12732829320).
                if sirenFound == nil, chain.groups.count == 1, chain.groups[0].count == 11,
                   precededByFR(buffer, at: chain.start) {
                    let digits = chain.digits(0..<1, in: buffer)
                    if Array(digits[2...]) == siren, isValidVATKey(digits) {
                        sirenFound = (.siren, Excerpt.around(chain.groups[0], in: buffer))
                    }
                }
            }
        }
        return siretFound ?? sirenFound
    }

    /// Luhn's key over 14 digits (La Poste's establishments use the sum of digits modulo 5).
    static func isValidSIRET(_ digits: [UInt8]) -> Bool {
        guard digits.count == 14 else { return false }
        let values = digits.map { Int($0 - 0x30) }
        if values.prefix(9) == [3, 5, 6, 0, 0, 0, 0, 0, 0] { return values.reduce(0, +) % 5 == 0 }
        var sum = 0
        for (position, value) in values.reversed().enumerated() {
            if position % 2 == 1 {
                let doubled = value * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += value
            }
        }
        return sum % 10 == 0
    }

    /// The key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97.
    private static func isValidVATKey(_ digits: [UInt8]) -> Bool {
        let key = Int(digits[0] - 0x30) * 10 + Int(digits[1] - 0x30)
        let siren = digits[2...].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (12 + 3 * (siren % 97)) % 97 == key
    }

    private static func precededByFR(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        var cursor = index
        if cursor > 0, bytes[cursor - 1] == UInt8(ascii: " ") { cursor -= 1 }
        guard cursor >= 2, ASCII.lower(bytes[cursor - 2]) == UInt8(ascii: "f"), ASCII.lower(bytes[cursor - 1]) == UInt8(ascii: "r") else { return false }
        return cursor == 2 || !ASCII.isLetter(bytes[cursor - 3])
    }

    // MARK: Name and postal code

    /// The most bytes of text between the name and the postal code for them to count together.
    public static let nameProximity = 400

    static func nameAndPostalCodeEvidence(in text: String, for company: CompanyIdentity) -> (kind: OwnershipEvidenceKind, excerpt: String)? {
        guard let postalCode = company.postalCode else { return nil }
        let code = Array(postalCode.utf8)
        guard code.count == 5, code.allSatisfy(ASCII.isDigit) else { return nil }
        let names = wantedNames(company)
        guard !names.isEmpty else { return nil }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { mutable -> (kind: OwnershipEvidenceKind, excerpt: String)? in
            let buffer = UnsafeBufferPointer(mutable)
            var codes: [Range<Int>] = []
            DigitChain.scan(buffer, hyphens: false) { chain in
                guard chain.digitCount != 9, chain.digitCount != 14 else { return }
                for group in chain.groups where group.count == 5 && buffer[group].elementsEqual(code) { codes.append(group) }
            }
            guard !codes.isEmpty else { return nil }
            let words = FoldedWord.words(of: text).filter { !CompanyName.articleWords.contains($0.text) }
            for wanted in names {
                for nameRange in runs(of: wanted, in: words) {
                    for codeRange in codes {
                        let distance = codeRange.lowerBound >= nameRange.upperBound
                            ? codeRange.lowerBound - nameRange.upperBound : nameRange.lowerBound - codeRange.upperBound
                        if distance <= nameProximity {
                            let covered = min(nameRange.lowerBound, codeRange.lowerBound)..<max(nameRange.upperBound, codeRange.upperBound)
                            return (.nameAndPostalCode, Excerpt.around(covered, in: buffer, before: 10, after: 10))
                        }
                    }
                }
            }
            return nil
        }
    }

    /// A JSON-LD organisation with one of the company's names and its postal code.
    static func linkedDataEvidence(_ organizations: [LinkedDataOrganization], for company: CompanyIdentity) -> (kind: OwnershipEvidenceKind, excerpt: String)? {
        guard let postalCode = company.postalCode else { return nil }
        let names = wantedNames(company)
        for organization in organizations where organization.postalCode?.filter(\.isNumber) == postalCode {
            guard let name = organization.name else { continue }
            let words = FoldedWord.words(of: name).filter { !CompanyName.articleWords.contains($0.text) }
            if names.contains(where: { !runs(of: $0, in: words).isEmpty }) {
                return (.nameAndPostalCode, "JSON-LD: \(name.cut(after: 80)), \(postalCode)")
            }
        }
        return nil
    }

    /// The names as word runs to look for: folded, legal forms and articles dropped, at least
    /// 3 letters in all.
    private static func wantedNames(_ company: CompanyIdentity) -> [[String]] {
        company.names.compactMap { name in
            let words = CompanyName(name).words.filter { !CompanyName.articleWords.contains($0) }
            return words.isEmpty || words.reduce(0, { $0 + $1.utf8.count }) < 3 ? nil : words
        }
    }

    /// Byte ranges where `wanted` appears as consecutive words.
    private static func runs(of wanted: [String], in words: [FoldedWord]) -> [Range<Int>] {
        guard words.count >= wanted.count else { return [] }
        var found: [Range<Int>] = []
        for start in 0...(words.count - wanted.count) where words[start].text == wanted[0] {
            if wanted.indices.allSatisfy({ words[start + $0].text == wanted[$0] }) {
                found.append(words[start].range.lowerBound..<words[start + wanted.count - 1].range.upperBound)
                if found.count == 100 { break }
            }
        }
        return found
    }
}
