import Basics
import CSV
import WebPages

/// The team's file of known sites (`known_sites:` in the job): a CSV with a header naming `url`
/// and `siren` or `siret` (or both: a line's SIRET counts when it has one). A site given for a
/// SIRET is that establishment's; one given for a SIREN is every establishment's of the company.
/// Read whole when the run starts (it is small: one line per company); every bad line is an
/// error naming the file, the line and the value.
struct KnownSites: Sendable {
    let given: String
    private var bySiret: [String: WebAddress] = [:]
    private var bySiren: [String: WebAddress] = [:]

    var count: Int { bySiret.count + bySiren.count }

    init(given: String, path: String, job: String) throws(RunFailure) {
        self.given = given
        func bad(_ message: String) -> RunFailure { RunFailure(.usage, "\(job): field 'known_sites': \(path): \(message)") }
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            throw bad("\(error)")
        }
        defer { reader.close() }
        let names = reader.header.names.map { $0.trimmingWhitespace().lowercased() }
        guard let urlColumn = names.firstIndex(of: "url") else {
            throw bad("no 'url' column (the header names \(names.joined(separator: ", ")); expected siren or siret, and url)")
        }
        let sirenColumn = names.firstIndex(of: "siren")
        let siretColumn = names.firstIndex(of: "siret")
        guard sirenColumn != nil || siretColumn != nil else {
            throw bad("no 'siren' or 'siret' column (the header names \(names.joined(separator: ", ")))")
        }
        do {
            while let batch = try reader.nextBatch() {
                for record in 0..<batch.recordCount {
                    let line = batch.lineNumber(ofRecord: record)
                    let url = batch.string(record: record, column: urlColumn)
                    let siret = siretColumn.map { batch.string(record: record, column: $0).trimmingWhitespace() } ?? ""
                    let siren = sirenColumn.map { batch.string(record: record, column: $0).trimmingWhitespace() } ?? ""
                    if url.trimmingWhitespace().isEmpty && siret.isEmpty && siren.isEmpty { continue }
                    let address: WebAddress
                    do {
                        address = try KnownSite.normalise(url)
                    } catch {
                        throw bad("line \(line): \(error)")
                    }
                    if !siret.isEmpty {
                        guard siret.utf8.count == 14, siret.utf8.allSatisfy(ASCII.isDigit) else {
                            throw bad("line \(line): siret \(siret.debugDescription) is not 14 digits")
                        }
                        if bySiret[siret] == nil { bySiret[siret] = address }
                    } else {
                        guard siren.utf8.count == 9, siren.utf8.allSatisfy(ASCII.isDigit) else {
                            throw bad("line \(line): siren \(siren.debugDescription) is not 9 digits")
                        }
                        if bySiren[siren] == nil { bySiren[siren] = address }
                    }
                }
            }
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw bad("\(error)")
        }
    }

    /// The site the file gives for an establishment: its SIRET's, else its SIREN's.
    func site(siret: String?, siren: String) -> WebAddress? {
        siret.flatMap { bySiret[$0] } ?? bySiren[siren]
    }
}
