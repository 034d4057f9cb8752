import Basics
import Columns
import WebPages

/// `enrich.website`: each establishment's company web site, proven (docs/enrichment.md).
///
/// Candidates, in order: the team's file (`known_sites:`, by SIRET then SIREN), the team's Lua
/// function (`website_candidates:`), then domains guessed from `nom_complet`, `denomination` and
/// `enseigne` (unless `guess_domains: false`). The first two are taken as given; a guessed
/// domain only when its home page or a legal-notice page it links to shows the SIREN or a SIRET
/// of the company, or its name next to its postal code (`OwnershipProof`). Columns:
/// `site_web` (the site's root address; a value the input already has is kept and not
/// searched), `site_web_preuve` (`siren`, `siret`, `nom_code_postal`, `fichier`, `lua`),
/// `site_web_source` (the page that shows the proof; the file or script for the team's sites).
/// What it read stays for the next web steps of the batch (`WebSession.findings`).
final class WebsiteStep: RegisteredStep {
    static let stepName = "enrich.website"
    let name = WebsiteStep.stepName
    let summary = "the company's own web site, proven by its SIREN/SIRET or its name and postal code on its pages"
    let execution = StepExecution.inOrder
    let reads = ["siren", "siret", "denomination", "enseigne", "code_postal", "ville", "naf_code"]
    let updates = ["site_web"]
    static let columns = [ColumnSpec("site_web_preuve", .text), ColumnSpec("site_web_source", .text)]
    let adds = WebsiteStep.columns
    let jobSections = WebJobSettings.sections
    /// With `--verbose`, for the time left: the niche's size.
    let needsNicheSirens: Bool
    private let session: WebSession
    private let control: RunControl
    private let sample: Int?
    private var readIndices: [Int] = []
    private var fullNameIndex: Int?
    private var siteIndex = 0
    private var outputs: [Int] = []
    private var rowsSeen = 0
    /// The sites found so far, by search key (a company and its candidates): a chain whose
    /// establishments come in several batches is searched and read once. One entry per company
    /// with a site: bounded by the niche.
    private var sitesFound: [String: SiteFindings] = [:]

    init(_ setup: StepSetup) throws(RunFailure) {
        session = try WebSession.shared(setup)
        control = setup.control
        sample = setup.options.sample
        needsNicheSirens = setup.options.verbose
        session.open()
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        readIndices = reads.compactMap(schema.index(of:))
        fullNameIndex = schema.index(of: "nom_complet")
        siteIndex = schema.index(of: "site_web") ?? 0
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    /// The niche's size, for `--verbose`'s time left (SIRENs: a close estimate of its establishments).
    func prepare(nicheSirens: SirenSet) throws(RunFailure) {
        session.expectedEstablishments = min(nicheSirens.values.count, sample ?? Int.max)
    }

    /// One row's values, by `CandidatesScript.fields`.
    private struct Row {
        let index: Int
        let values: [String: String]
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        session.findings = [:]
        if findsNothing { return try countNothingFound(&batch, &counts) }
        let fieldNames = ["siren", "siret", "denomination", "enseigne", "code_postal", "ville", "naf_code"]
        var rows: [Row] = []
        var alreadyGiven = 0
        batch.withViews(of: readIndices + [siteIndex] + (fullNameIndex.map { [$0] } ?? [])) { views in
            for row in 0..<batch.rowCount where batch.isKept(row) {
                guard views[readIndices.count].isNull(row) else {
                    alreadyGiven += 1
                    continue
                }
                var values: [String: String] = [:]
                for (position, field) in fieldNames.enumerated() { values[field] = WebStepSupport.string(views[position], row) }
                if fullNameIndex != nil { values["nom_complet"] = WebStepSupport.string(views[readIndices.count + 1], row) }
                rows.append(Row(index: row, values: values))
            }
        }
        counts.add("site_from_input", alreadyGiven)

        var establishments: [WebEstablishment] = []
        // Offline with an empty cache no guessed domain can be read: none is made, and the
        // establishments that would have had guesses count as offline misses.
        let readsNothing = session.client?.answersNothing ?? false
        var unreadable = Set<Int>()
        for row in rows {
            rowsSeen += 1
            let values = row.values
            let siren = values["siren"] ?? ""
            var candidates: [SiteCandidate] = []
            if let known = session.knownSites?.site(siret: values["siret"], siren: siren) {
                candidates.append(SiteCandidate(address: known, origin: .knownSites))
            }
            if candidates.isEmpty, let script = session.candidatesScript, let site = try script.site(for: values, position: rowsSeen) {
                candidates.append(SiteCandidate(address: site, origin: .luaFunction))
            }
            // A site from the file or the function is taken as given: guesses would never be
            // tried, and would make the establishments of one chain (whose names differ) look
            // like different searches, each reading the same site at the same time.
            if candidates.isEmpty, session.settings.guessDomains {
                if readsNothing {
                    unreadable.insert(establishments.count)
                } else {
                    candidates += SiteSearch.guessed(names: [values["nom_complet"], values["denomination"], values["enseigne"]])
                }
            }
            let names = [values["nom_complet"], values["denomination"], values["enseigne"]].compactMap { $0 }
            let company = CompanyIdentity(siren: siren, siret: values["siret"], names: names, postalCode: values["code_postal"])
            establishments.append(WebEstablishment(key: WebStepSupport.key(siren: siren, siret: values["siret"], row: row.index),
                                                   company: company, candidates: candidates))
        }

        // One search per company and candidate list: the establishments of a chain share it
        // (a site is not fetched once per establishment) and its findings.
        var searches: [WebEstablishment] = []
        var searchKeys: [String?] = []
        var searchOf: [Int] = []
        var searchIndex: [String: Int] = [:]
        for establishment in establishments {
            // Without a SIREN the key is the row's, which another batch reuses: not remembered.
            let companyKey = Self.companyKey(siren: establishment.company.siren, candidates: establishment.candidates)
            let key = companyKey ?? establishment.key
            if let index = searchIndex[key] {
                searchOf.append(index)
            } else {
                searchIndex[key] = searches.count
                searchOf.append(searches.count)
                searches.append(establishment)
                searchKeys.append(companyKey)
            }
        }
        // A company whose site an earlier batch found is not searched again.
        var outcomes: [SiteSearchOutcome?] = searchKeys.map { key in
            key.flatMap { sitesFound[$0] }.map { SiteSearchOutcome(findings: $0) }
        }
        // A search without a candidate finds nothing: no task for it.
        for index in outcomes.indices where outcomes[index] == nil && searches[index].candidates.isEmpty {
            outcomes[index] = SiteSearchOutcome()
            counts.add("searches", 1)
        }
        let fresh = outcomes.indices.filter { outcomes[$0] == nil }
        let session = session
        let searched = fresh.map { searches[$0] }
        let known = session.knownSites.map { "known_sites " + $0.given }
        let lua = session.candidatesScript.map { "website_candidates " + $0.given }
        let freshOutcomes = try WebStepSupport.counting(session, &counts) { () throws(RunFailure) in
            session.forEach(searched.count, step: name, unit: "companies searched") { index, deadline in
                await SiteSearch.search(searched[index], session: session, deadline: deadline, knownSource: known, luaSource: lua)
            }
        }
        try WebStepSupport.checkInterruption(control, name)
        for (search, outcome) in zip(fresh, freshOutcomes) {
            outcomes[search] = outcome
            if let key = searchKeys[search], let findings = outcome?.findings { sitesFound[key] = findings }
        }
        for outcome in freshOutcomes {
            counts.add("searches", 1)
            guard let outcome else { continue }
            counts.add("candidates_tried", outcome.candidatesTried)
            if let down = outcome.networkDown { session.reportNetworkDown(down, step: name) }
        }

        var site: [Int: String] = [:]
        var proof: [Int: String] = [:]
        var source: [Int: String] = [:]
        for (position, search) in searchOf.enumerated() {
            let row = rows[position].index
            counts.add("establishments", 1)
            guard let outcome = outcomes[search] else { continue }
            if outcome.offlineMiss || unreadable.contains(position) { counts.add("offline_misses", 1) }
            guard let findings = outcome.findings else {
                counts.add("sites_not_found", 1)
                continue
            }
            session.findings[establishments[position].key] = findings
            counts.add("verified." + findings.evidence.rawValue, 1)
            site[row] = findings.site.description
            proof[row] = findings.evidence.rawValue
            source[row] = findings.source
        }
        try fill(&batch, site: site, proof: proof, source: source)
    }

    private func fill(_ batch: inout RecordBatch, site: [Int: String], proof: [Int: String], source: [Int: String]) throws(RunFailure) {
        try WebStepSupport.fill(&batch, siteIndex, site)
        let columns = try WebStepSupport.columns(count: batch.rowCount, [proof, source])
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    /// The search of a company and its candidates: establishments with the same share it. Nil
    /// without a SIREN (the establishment's own key is used, `WebStepSupport.key`).
    static func companyKey(siren: String, candidates: [SiteCandidate]) -> String? {
        siren.isEmpty ? nil : siren + " " + candidates.map { "\($0.origin) \($0.address)" }.joined(separator: " ")
    }

    /// Offline with an empty cache (`WebClient.answersNothing`) and no site from the team's file
    /// or function, no establishment can get a site: nothing is searched.
    private var findsNothing: Bool {
        (session.client?.answersNothing ?? false) && session.knownSites == nil && session.candidatesScript == nil
            && readIndices.count == reads.count
    }

    /// What `process` counts when nothing can be found, without building the searches: each
    /// establishment without a site is one not found (and an offline miss when domains would have
    /// been guessed), each company (SIREN, else the establishment) one search.
    private func countNothingFound(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        var alreadyGiven = 0
        var establishments = 0
        var searches = Set<String>()
        batch.withViews(of: [readIndices[0], readIndices[1], siteIndex]) { views in
            for row in 0..<batch.rowCount where batch.isKept(row) {
                guard views[2].isNull(row) else {
                    alreadyGiven += 1
                    continue
                }
                establishments += 1
                let siren = WebStepSupport.string(views[0], row) ?? ""
                // The search keys of `process`: a company's SIREN and its (no) candidates, else the
                // establishment's key.
                searches.insert(Self.companyKey(siren: siren, candidates: [])
                    ?? WebStepSupport.key(siren: siren, siret: WebStepSupport.string(views[1], row), row: row))
            }
        }
        try WebStepSupport.checkInterruption(control, name)
        rowsSeen += establishments
        counts.add("site_from_input", alreadyGiven)
        counts.add("searches", searches.count)
        counts.add("establishments", establishments)
        counts.add("sites_not_found", establishments)
        if session.settings.guessDomains { counts.add("offline_misses", establishments) }
        try fill(&batch, site: [:], proof: [:], source: [:])
    }

    func finish(_ counts: inout StepCounts) throws(RunFailure) {
        if counts["offline_misses"] > 0 {
            session.say(name, "info", "offline: \(counts["offline_misses"]) establishments had pages missing from the cache; "
                + "their web columns stay empty")
        }
        session.close()
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        var verified = StructuredMap()
        for kind in OwnershipEvidenceKind.allCases { verified[kind.rawValue] = .integer(Int64(counts["verified." + kind.rawValue])) }
        return ["web": .map([
            "establishments": .integer(Int64(counts["establishments"])),
            "searches": .integer(Int64(counts["searches"])),
            "site_from_input": .integer(Int64(counts["site_from_input"])),
            "candidates_tried": .integer(Int64(counts["candidates_tried"])),
            "sites_verified": .map(verified),
            "sites_not_found": .integer(Int64(counts["sites_not_found"])),
            "offline": .bool(session.client?.isOffline ?? false),
            "offline_misses": .integer(Int64(counts["offline_misses"])),
            "network_down": .bool(session.networkIsDown),
            "http": WebStepSupport.httpFields(counts),
        ])]
    }
}
