import Columns
import Basics
import Jobs
import NAF
import Parquet
@testable import Pipeline
import Testing

/// A text column from optional strings (nil: null).
func textColumn(_ values: [String?]) -> SourceColumn {
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]
    var words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
    for (index, value) in values.enumerated() {
        if let value {
            bytes += Array(value.utf8)
            words[index / 64] |= 1 << UInt64(index % 64)
        }
        offsets.append(Int32(bytes.count))
    }
    return SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)),
                        validity: Validity(words: words, count: values.count))
}

/// One INSEE row as text, every field absent unless given.
func stockBatch(_ rows: [[SourceField: String]]) -> SourceBatch {
    var columns: [SourceField: SourceColumn] = [:]
    for field in SourceField.allCases where field.stockColumnName != nil {
        columns[field] = textColumn(rows.map { $0[field] })
    }
    return SourceBatch(rowCount: rows.count, columns: columns)
}

let referenceDay = DateCheck.parseISODate("2026-08-01")!

/// The quick profile's row-by-row steps (standardize, checks, score) as the workers run them.
struct TestPipeline {
    let plan: PipelinePlan

    init(layout: SireneLayout, nomenclature: NAFNomenclature, weights: [JobSpec.Scoring.Weight],
         dedupe: JobSpec.Dedupe = JobSpec.Dedupe()) throws {
        let code = nomenclature == .rev2 ? "69" : "69"
        let naf = try NAFFilter(include: [NAFCode(parsing: code)], exclude: [], nomenclature: nomenclature)
        let job = JobSpec(niche: "n", filters: JobSpec.Filters(naf: naf), profile: .quick, dedupe: dedupe,
                          scoring: JobSpec.Scoring(weights: weights))
        let setup = StepSetup(job: job, jobPath: "job.yaml", options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: "out"),
                              referenceDay: referenceDay, layout: layout)
        plan = try PipelinePlan(setup, profile: .quick)
    }

    func standardize(_ source: SourceBatch) throws -> RecordBatch {
        try #require(WorkerStage(plan).run(CollectedRows(rowsInBatch: source.rowCount, rows: source)).batch)
    }

    /// A deduplicator on `keys` (column names) of this pipeline's batches.
    func deduplicator(_ keys: [String], fuzzy: Bool = false) -> Deduplicator {
        Deduplicator(keys: keys.compactMap(plan.schema.index(of:)), fuzzy: fuzzy)
    }
}

func standardizer(_ layout: SireneLayout = .stockEtablissement, nomenclature: NAFNomenclature = .rev2,
                  weights: [JobSpec.Scoring.Weight] = JobSpec.Scoring.defaultWeights) throws -> TestPipeline {
    try TestPipeline(layout: layout, nomenclature: nomenclature, weights: weights)
}

extension RecordBatch {
    func text(_ column: StandardColumn, _ row: Int = 0) -> String? { text(column.name, row) }

    func text(_ name: String, _ row: Int = 0) -> String? {
        guard let index = schema.index(of: name) else { return nil }
        return withViews(of: [index]) { CellText.value($0[0], row) }
    }
}

/// A complete, active, diffusible row.
let parisRow: [SourceField: String] = [
    .siren: "732829320", .siret: "73282932000074", .statutDiffusion: "O", .dateCreation: "2019-03-04",
    .trancheEffectifs: "11", .dateDernierTraitement: "2026-05-02T10:11:12", .siege: "true",
    .complementAdresse: "BATIMENT B", .numeroVoie: "12", .indiceRepetition: "B", .typeVoie: "AV",
    .libelleVoie: "DES CHAMPS-ELYSEES", .codePostal: "75008", .libelleCommune: "PARIS 8", .codeCommune: "75108",
    .dateDebut: "2019-03-04", .etatAdministratif: "A", .enseigne1: "CABINET \"DUPONT\", CONSEIL",
    .activitePrincipale: "69.20Z", .nomenclature: "NAFRev2", .naf25: "69.20Y",
]

@Suite("normalize.standardize")
struct StandardizerTests {
    @Test("canonical columns from INSEE's columns")
    func canonicalColumns() throws {
        let batch = try standardizer().standardize(stockBatch([parisRow]))
        #expect(batch.rowCount == 1)
        #expect(batch.text(.siren) == "732829320")
        #expect(batch.text(.siret) == "73282932000074")
        #expect(batch.text(.denomination) == "CABINET \"DUPONT\", CONSEIL")  // no usual name: the enseigne
        #expect(batch.text(.enseigne) == "CABINET \"DUPONT\", CONSEIL")
        #expect(batch.text(.nafCode) == "69.20Z")
        #expect(batch.text(.nafNomenclature) == "NAFRev2")
        #expect(batch.text(.nafRev2) == "69.20Z")
        #expect(batch.text(.naf2025) == "69.20Y")
        #expect(batch.text(.adresseComplete) == "BATIMENT B, 12 B AVENUE DES CHAMPS-ELYSEES, 75008 PARIS 8")
        #expect(batch.text(.codePostal) == "75008")
        #expect(batch.text(.ville) == "PARIS 8")
        #expect(batch.text(.codeCommune) == "75108")
        #expect(batch.text(.departement) == "75")
        #expect(batch.text(.effectif) == "11")
        #expect(batch.text(.dateCreation) == "2019-03-04")
        #expect(batch.text(.etatAdministratif) == "A")
        #expect(batch.text(.etablissementSiege) == "true")
        #expect(batch.text(.statutDiffusion) == "O")
        #expect(batch.text(.telephone) == nil)
        #expect(batch.text(.dateMiseAJour) == "2026-05-02")
        #expect(batch.text("siren_valide") == "true")
        #expect(batch.text("siret_valide") == "true")
        #expect(batch.text("code_postal_valide") == "true")
        #expect(batch.text("date_creation_valide") == "true")
    }

    @Test("[ND] and empty values become nulls; the commune code still gives the département")
    func maskedValues() throws {
        var row = parisRow
        for field in [SourceField.codePostal, .numeroVoie, .typeVoie, .libelleVoie, .complementAdresse, .enseigne1,
                      .indiceRepetition] {
            row[field] = "[ND]"
        }
        row[.statutDiffusion] = "P"
        row[.denominationUsuelle] = ""
        let batch = try standardizer().standardize(stockBatch([row]))
        #expect(batch.text(.codePostal) == nil)
        #expect(batch.text("code_postal_valide") == nil)
        #expect(batch.text(.denomination) == nil)
        #expect(batch.text(.enseigne) == nil)
        #expect(batch.text(.adresseComplete) == "PARIS 8")
        #expect(batch.text(.departement) == "75")
        #expect(batch.text(.statutDiffusion) == "P")
        // No street line and no postal code: 6 of 8 fields at most, no postal address.
        #expect(batch.text("contactability") == "0")
    }

    @Test("a column whose values all read as themselves is taken whole; one empty or [ND] value makes it a copy with that value null")
    func plainColumnsAreTakenWhole() throws {
        var lyon = parisRow
        lyon[.codePostal] = "69002"
        lyon[.siret] = "73282932000082"
        let source = stockBatch([parisRow, lyon])
        let plain = try standardizer().standardize(source)
        #expect([plain.text(.codePostal, 0), plain.text(.codePostal, 1)] == ["75008", "69002"])
        #expect([plain.text(.siret, 0), plain.text(.siret, 1)] == ["73282932000074", "73282932000082"])
        let index = try #require(plain.schema.index(of: StandardColumn.codePostal.name))
        // The input's own values (bytes and offsets), not a copy rebuilt row by row.
        guard case let .byteArray(taken)? = plain[index]?.storage, case let .byteArray(given)? = source[.codePostal]?.data.storage else {
            Issue.record("code_postal is not text")
            return
        }
        #expect(taken == given)
        taken.bytes.withUnsafeBufferPointer { taken in
            given.bytes.withUnsafeBufferPointer { given in #expect(taken.baseAddress == given.baseAddress) }
        }

        var masked = lyon
        masked[.codePostal] = "[ND]"
        masked[.etatAdministratif] = ""
        let mixed = try standardizer().standardize(stockBatch([parisRow, masked, lyon]))
        #expect((0..<3).map { mixed.text(.codePostal, $0) } == ["75008", nil, "69002"])
        #expect((0..<3).map { mixed.text(.etatAdministratif, $0) } == ["A", nil, "A"])
        // `siren` is not maskable: its `[ND]` stays a value.
        var odd = parisRow
        odd[.siren] = "[ND]"
        #expect(try standardizer().standardize(stockBatch([odd, parisRow])).text(.siren, 0) == "[ND]")
    }

    @Test("Corsica and overseas départements; foreign establishments")
    func geography() throws {
        var corsica = parisRow
        corsica[.codeCommune] = "2A004"
        corsica[.codePostal] = "20000"
        var overseas = parisRow
        overseas[.codeCommune] = "97411"
        overseas[.codePostal] = "97400"
        var foreign = parisRow
        foreign[.codeCommune] = nil
        foreign[.codePostal] = nil
        foreign[.libelleCommune] = nil
        foreign[.libelleCommuneEtranger] = "GENEVE"
        foreign[.libellePaysEtranger] = "SUISSE"
        let batch = try standardizer().standardize(stockBatch([corsica, overseas, foreign]))
        #expect(batch.text(.departement, 0) == "2A")
        #expect(batch.text(.departement, 1) == "974")
        #expect(batch.text(.departement, 2) == nil)
        #expect(batch.text(.ville, 2) == "GENEVE")
        #expect(batch.text(.adresseComplete, 2) == "BATIMENT B, 12 B AVENUE DES CHAMPS-ELYSEES, GENEVE, SUISSE")
    }

    @Test("validity flags: bad identifiers, postal codes and dates")
    func flags() throws {
        var row = parisRow
        row[.siren] = "732829321"
        row[.siret] = "73282932100072"   // Luhn-valid, but its SIREN is not
        row[.codePostal] = "7500"
        row[.dateCreation] = "2019-02-30"
        var future = parisRow
        future[.siret] = "73282932000075"
        future[.dateCreation] = "2030-01-01"
        var placeholder = parisRow
        placeholder[.dateCreation] = "1900-01-01"
        var absent = parisRow
        absent[.dateCreation] = nil
        let batch = try standardizer().standardize(stockBatch([row, future, placeholder, absent]))
        #expect(batch.text("siren_valide", 0) == "false")
        #expect(batch.text("siret_valide", 0) == "false")
        #expect(batch.text("code_postal_valide", 0) == "false")
        #expect(batch.text(.dateCreation, 0) == nil)            // not a calendar date: null...
        #expect(batch.text("date_creation_valide", 0) == "false")  // ...and flagged
        #expect(batch.text("siret_valide", 1) == "false")
        #expect(batch.text(.dateCreation, 1) == "2030-01-01")
        #expect(batch.text("date_creation_valide", 1) == "false")
        #expect(batch.text("date_creation_valide", 2) == "false")
        #expect(batch.text(.dateCreation, 3) == nil)
        #expect(batch.text("date_creation_valide", 3) == nil)
    }

    @Test("the NAF 2025 nomenclature fills naf_code from activitePrincipaleNAF25Etablissement")
    func naf2025() throws {
        let batch = try standardizer(nomenclature: .naf2025).standardize(stockBatch([parisRow]))
        #expect(batch.text(.nafCode) == "69.20Y")
        #expect(batch.text(.nafNomenclature) == "NAF2025")
        #expect(batch.text(.nafRev2) == "69.20Z")
    }

    @Test("an older nomenclature is not reported as a rév. 2 code")
    func olderNomenclature() throws {
        var row = parisRow
        row[.activitePrincipale] = "52.1D"
        row[.nomenclature] = "NAFRev1"
        row[.naf25] = nil
        let batch = try standardizer().standardize(stockBatch([row]))
        #expect(batch.text(.nafRev2) == nil)
        #expect(batch.text(.nafCode) == nil)
    }

    @Test("simplified inputs: their own columns, contacts kept, NAF without a dot accepted")
    func simplified() throws {
        var columns: [SourceField: SourceColumn] = [:]
        let values: [SourceField: String] = [
            .siren: "732829320", .activitePrincipale: "6920Z", .denomination: "DUPONT & ASSOCIES",
            .adresse: "3 rue de la Paix", .codePostal: "75002", .ville: "Paris", .telephone: "+33 1 23 45 67 89",
            .siteWeb: "https://dupont.example", .email: "contact@dupont.example", .trancheEffectifs: "03",
            .dateCreation: "2001-09-10",
        ]
        for (field, value) in values { columns[field] = textColumn([value]) }
        let batch = try standardizer(.simplified).standardize(SourceBatch(rowCount: 1, columns: columns))
        #expect(batch.text(.siret) == nil)
        #expect(batch.text(.nafCode) == "69.20Z")
        #expect(batch.text(.adresseComplete) == "3 rue de la Paix, 75002 Paris")
        #expect(batch.text(.departement) == "75")
        #expect(batch.text(.telephone) == "+33 1 23 45 67 89")
        #expect(batch.text(.email) == "contact@dupont.example")
        #expect(batch.text(.siteWeb) == "https://dupont.example")
        #expect(batch.text(.etatAdministratif) == nil)
        #expect(batch.text("contactability") == "100")
        // siret missing: 7 of 8 fields.
        #expect(batch.text("completeness") == "88")
    }

    @Test("typed Parquet values: DATE days, TIMESTAMP micros, BOOLEAN")
    func typedValues() throws {
        var row = parisRow
        row[.dateCreation] = nil
        row[.dateDernierTraitement] = nil
        row[.siege] = nil
        var columns: [SourceField: SourceColumn] = [:]
        let batch = stockBatch([row])
        for field in SourceField.allCases { if let column = batch[field] { columns[field] = column } }
        let creation = DateCheck.parseISODate("2019-03-04")!
        columns[.dateCreation] = SourceColumn(storage: .days([creation]), validity: nil)
        columns[.dateDernierTraitement] = SourceColumn(storage: .micros([Int64(referenceDay) * 86_400_000_000 + 3_600_000_000]),
                                                       validity: nil)
        columns[.siege] = SourceColumn(storage: .booleans([false]), validity: nil)
        let output = try standardizer().standardize(SourceBatch(rowCount: 1, columns: columns))
        #expect(output.text(.dateCreation) == "2019-03-04")
        #expect(output.text(.dateMiseAJour) == "2026-08-01")
        #expect(output.text(.etablissementSiege) == "false")
        #expect(output.text("freshness") == "100")
    }
}

@Suite("the quick profile's output columns")
struct OutputColumnsTests {
    let schema: BatchSchema

    init() throws {
        schema = try standardizer().plan.schema
    }

    @Test("stable names and order")
    func order() {
        let names = schema.exported.map(\.name)
        #expect(names == [
            "siren", "siret", "denomination", "enseigne", "naf_code", "naf_nomenclature", "naf_rev2", "naf_2025",
            "adresse_complete", "code_postal", "ville", "code_commune", "departement", "effectif", "date_creation",
            "etat_administratif", "etablissement_siege", "statut_diffusion", "telephone", "email", "site_web",
            "date_mise_a_jour", "siren_valide", "siret_valide", "code_postal_valide", "date_creation_valide",
            "completeness", "contactability", "freshness", "quality_score",
        ])
        #expect(Set(names).count == names.count)
        #expect(schema.columns.filter(\.isInternal).map(\.name) == ["_adresse_voie", "_date_connue", "_date_creation_illisible"])
    }

    @Test("types: two dates, five booleans, four integer scores, the rest text")
    func types() {
        let byType = Dictionary(grouping: schema.exported, by: \.type).mapValues { $0.map(\.name) }
        #expect(byType[.date] == ["date_creation", "date_mise_a_jour"])
        #expect(byType[.boolean] == ["etablissement_siege", "siren_valide", "siret_valide", "code_postal_valide",
                                     "date_creation_valide"])
        #expect(byType[.integer] == ["completeness", "contactability", "freshness", "quality_score"])
        #expect(schema["naf_code"]?.type == .text)
        #expect(schema["nope"] == nil)
    }
}
