import Basics
import CSV
import Jobs

/// `filter.company`: the job's filters that the stock's own columns cannot answer, in this
/// order, each counted (`removed` in the manifest):
///
/// - `categories_juridiques`: the unit's 4-digit `categorie_juridique` starts with one of the
///   codes (`5` keeps every commercial company, `54` the SARL, `5710` the SAS);
/// - `categories_entreprise`: the unit's `categorie_entreprise` is one of them (PME, ETI, GE);
/// - `exclude_file`: the row's SIRET (the file has a `siret` column) or SIREN (it has a `siren`
///   column) is not listed: a team's existing customers.
///
/// The first two need `enrich.legal_unit` before it (a unit missing from the unit file passes
/// neither). A profile includes the step only for a job setting one of the three filters.
final class CompanyFilterStep: RegisteredStep {
    static let stepName = "filter.company"
    let name = CompanyFilterStep.stepName
    let summary = "filters on the company: categories_juridiques, categories_entreprise (unit file), exclude_file"
    let execution = StepExecution.inOrder
    let dropsRows = true
    let jobSections = ["filters"]
    let reads: [String]
    let skipReason: String?

    private let jobPath: String
    private let legalPrefixes: [[UInt8]]
    private let companyCategories: [[UInt8]]
    /// The excluded identifiers and the column they are matched on (`siret` or `siren`).
    private let excluded: Excluded?
    private var inputs: [Int] = []

    struct Excluded {
        let file: String
        let column: String
        let numbers: Set<UInt64>
    }

    static func isIncluded(for job: JobSpec) -> Bool {
        let filters = job.filters
        return filters.needsLegalUnits || filters.excludeFile != nil
    }

    init(_ setup: StepSetup) throws(RunFailure) {
        let filters = setup.job.filters
        jobPath = setup.jobPath
        legalPrefixes = filters.categoriesJuridiques.map { Array($0.utf8) }
        companyCategories = filters.categoriesEntreprise.map { Array($0.utf8) }
        var reads: [String] = []
        if !legalPrefixes.isEmpty { reads.append("categorie_juridique") }
        if !companyCategories.isEmpty { reads.append("categorie_entreprise") }
        if let file = filters.excludeFile, !setup.checkingOnly {
            excluded = try Self.readExcluded(setup.resolve(file), key: "filters.exclude_file", jobPath: setup.jobPath)
            reads.append(excluded?.column ?? "siret")
        } else {
            excluded = nil
            if filters.excludeFile != nil { reads.append("siret") }
        }
        self.reads = reads
        skipReason = reads.isEmpty ? "the job sets none of filters.categories_juridiques, categories_entreprise, exclude_file" : nil
    }

    /// The unit filters without the unit's columns: the message names the filter and `--units`.
    func checkReads(_ available: BatchSchema) throws(RunFailure) {
        for (key, column) in [("categories_juridiques", "categorie_juridique"), ("categories_entreprise", "categorie_entreprise")]
        where reads.contains(column) && available.index(of: column) == nil {
            throw RunFailure(.usage, "\(jobPath): field 'filters.\(key)' needs the legal units (\(LegalUnitStep.stepName)): "
                + "pass --units FILE (INSEE's StockUniteLegale) with the standard or deep profile, or list "
                + "\(LegalUnitStep.stepName) before \(name) in steps:")
        }
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        inputs = reads.compactMap(schema.index(of:))
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        var keep = [Bool](repeating: true, count: batch.rowCount)
        var removedLegal = 0, removedCompany = 0, removedExcluded = 0
        let (legalPrefixes, companyCategories, excluded) = (legalPrefixes, companyCategories, excluded)
        batch.withViews(of: inputs) { views in
            var position = 0
            let legal = legalPrefixes.isEmpty ? nil : views[position]
            if legal != nil { position += 1 }
            let company = companyCategories.isEmpty ? nil : views[position]
            if company != nil { position += 1 }
            let identifier = excluded == nil ? nil : views[position]
            for row in 0..<batch.rowCount where batch.isKept(row) {
                if let legal {
                    let code = legal.text(row)
                    guard let code, legalPrefixes.contains(where: { code.starts(with: $0) }) else {
                        keep[row] = false
                        removedLegal += 1
                        continue
                    }
                }
                if let company {
                    guard let value = company.text(row), companyCategories.contains(where: { value.elementsEqual($0) }) else {
                        keep[row] = false
                        removedCompany += 1
                        continue
                    }
                }
                if let identifier, let excluded, let number = identifier.text(row).flatMap(Self.number),
                   excluded.numbers.contains(number) {
                    keep[row] = false
                    removedExcluded += 1
                }
            }
        }
        batch.keep(keep)
        if !legalPrefixes.isEmpty { counts.add("categories_juridiques", removedLegal) }
        if !companyCategories.isEmpty { counts.add("categories_entreprise", removedCompany) }
        if excluded != nil { counts.add("exclude_file", removedExcluded) }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        var removed = StructuredMap()
        for (name, value) in counts.counters { removed[name] = .integer(Int64(value)) }
        var fields: StructuredMap = ["removed": .map(removed)]
        if let excluded {
            fields["exclude_file"] = .map(["path": .string(excluded.file), "column": .string(excluded.column),
                                           "identifiers": .integer(Int64(excluded.numbers.count))])
        }
        return fields
    }

    // MARK: The exclusion file

    /// An identifier's digits as a number (spaces and non-breaking spaces between digits are
    /// ignored, as in `123 456 789`); nil for anything else.
    static func number(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                index += 1
                continue
            }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                index += 2
                continue
            }
            let digit = byte &- 0x30
            guard digit < 10, digits < 19 else { return nil }
            value = value * 10 + UInt64(digit)
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    /// Reads the SIRETs (or SIRENs) of a CSV file: its `siret` column, else its `siren` column;
    /// empty values are ignored, a value that is not 14 (9) digits is an error naming its line.
    static func readExcluded(_ path: String, key: String, jobPath: String) throws(RunFailure) -> Excluded {
        func fail(_ message: String) -> RunFailure { RunFailure(.usage, "\(jobPath): field '\(key)': \(message)") }
        guard FileSystem.exists(path) else { throw fail("\(path) does not exist") }
        if let kind = InputFileCheck.nonRegularKind(path) { throw fail("\(path) is not a regular file (\(kind))") }
        do {
            let reader = try CSVReader(path: path)
            defer { reader.close() }
            let names = reader.header.names.map { name in
                (name.hasPrefix("\u{FEFF}") ? String(name.dropFirst()) : name).trimmingCharacters(in: " ").lowercased()
            }
            guard let (column, digits) = [("siret", 14), ("siren", 9)].first(where: { names.contains($0.0) }),
                  let index = names.firstIndex(of: column) else {
                let shown = names.prefix(8).joined(separator: ", ")
                throw fail("\(path) has no siret or siren column (its columns: \(shown.isEmpty ? "none" : shown); "
                    + "a CSV file with commas is expected)")
            }
            var numbers = Set<UInt64>()
            while let batch = try reader.nextBatch() {
                var bad: (line: Int, value: String)?
                batch.withUnsafeFields { fields in
                    for record in 0..<fields.recordCount where bad == nil {
                        let field = fields[record, index]
                        let trimmed = field.bytes.filter { $0 != 0x20 && $0 != 0x09 }
                        if trimmed.isEmpty { continue }
                        let count = field.bytes.filter { $0 &- 0x30 < 10 }.count
                        guard count == digits, let number = Self.number(field.bytes) else {
                            bad = (batch.lineNumber(ofRecord: record), field.string)
                            continue
                        }
                        numbers.insert(number)
                    }
                }
                if let bad {
                    throw fail("\(path):\(bad.line): \(bad.value.debugDescription) is not a \(column.uppercased()) "
                        + "(\(digits) digits)")
                }
            }
            return Excluded(file: path, column: column, numbers: numbers)
        } catch let error as RunFailure {
            throw error
        } catch {
            throw fail("cannot read \(path): \(error)")
        }
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var view = Substring(self)
        while view.first == set { view.removeFirst() }
        while view.last == set { view.removeLast() }
        return String(view)
    }
}
