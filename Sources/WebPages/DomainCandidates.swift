/// Domains a company's site may have, guessed from its names.
///
/// For each name (`CompanyName` says how a name is read), the labels are, in this order:
/// 1. the words joined by hyphens, then without them (`boulangerie-martin`, `boulangeriemartin`);
/// 2. the same without articles when at least two words are left (`la-boulangerie-du-centre` →
///    `boulangerie-centre`, `boulangeriecentre`);
/// 3. but when dropping a descriptive form left a single word, the name with it comes first,
///    being the more specific (`ETS MARTIN` → `ets-martin`, `etsmartin`, then `martin`).
///
/// Each label gives `.fr` then `.com` (`boulangerie-martin.fr`, `boulangerie-martin.com`,
/// `boulangeriemartin.fr`, ...). Labels DNS would refuse (over 63 characters) are skipped;
/// duplicates keep their first place. At most `perName` domains come from one name; several
/// names are taken in the order given (the pipeline gives `nom_complet`, `denomination`,
/// `enseigne`) and merged without duplicates.
public enum DomainCandidates {
    /// Top-level domains tried, in order.
    public static let topLevelDomains = ["fr", "com"]

    /// Domains guessed from one name per element of `names` (nil and empty names are skipped).
    public static func guess(names: [String?], perName: Int = 8) -> [String] {
        var seen = Set<String>()
        var output: [String] = []
        for case let name? in names {
            for domain in guess(name: name, limit: perName) where seen.insert(domain).inserted {
                output.append(domain)
            }
        }
        return output
    }

    /// Domains guessed from one name, at most `limit`.
    public static func guess(name: String, limit: Int = 8) -> [String] {
        guard limit > 0 else { return [] }
        var domains: [String] = []
        for label in labels(for: name) {
            for topLevel in topLevelDomains {
                let domain = label + "." + topLevel
                guard !domains.contains(domain) else { continue }
                domains.append(domain)
                if domains.count == limit { return domains }
            }
        }
        return domains
    }

    /// The labels (without top-level domain) for one name, in the order above, each valid for
    /// DNS.
    public static func labels(for name: String) -> [String] {
        let company = CompanyName(name)
        guard !company.words.isEmpty else { return [] }
        var variants = [company.words, company.withoutArticles]
        if company.words.count == 1, let descriptor = company.descriptor {
            variants.insert([descriptor] + company.words, at: 0)
        }
        var labels: [String] = []
        for words in variants {
            for label in [words.joined(separator: "-"), words.joined()]
            where HostName.isValidLabel(label) && !labels.contains(label) {
                labels.append(label)
            }
        }
        return labels
    }
}
