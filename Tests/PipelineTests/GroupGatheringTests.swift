import Columns
@testable import Pipeline
import Testing

/// A shared scan hands its jobs their rows by groups of jobs (`GroupRun.gatheringGroups`), each
/// group gathered column by column (`SourceBatch.gathering(_:)` with several selections): the same
/// rows and fields as each job gathering its own.
struct GroupGatheringTests {
    @Test func jobsAreGroupedInOrderUpToTheLimitAndABigJobAlone() {
        #expect(GroupRun.gatheringGroups(rows: [], limit: 10) == [])
        #expect(GroupRun.gatheringGroups(rows: [3, 4, 3, 1, 0, 0], limit: 10) == [0..<3, 3..<6])
        #expect(GroupRun.gatheringGroups(rows: [2, 25, 5, 5, 0], limit: 10) == [0..<1, 1..<2, 2..<5])
        #expect(GroupRun.gatheringGroups(rows: [10, 10], limit: 10) == [0..<1, 1..<2])
        // Every job in exactly one group, in order.
        let rows = (0..<88).map { ($0 * 7_919) % 9_000 }
        #expect(GroupRun.gatheringGroups(rows: rows).flatMap { Array($0) } == Array(0..<88))
        #expect(GroupRun.gatheringGroups(rows: rows).allSatisfy { group in
            group.count == 1 || group.reduce(0) { $0 + rows[$1] } <= GroupRun.gatheredRows
        })
    }

    @Test func severalSelectionsGatherWhatEachWouldAlone() {
        let values = (0..<200).map { $0 % 11 == 0 ? nil : "value \($0)" }
        let batch = SourceBatch(rowCount: values.count, columns: [
            .siret: textColumn(values),
            .codePostal: textColumn(values.map { $0.map { String($0.reversed()) } }),
            .libelleCommune: textColumn(values.map { _ in "PARIS" }),
        ])
        let selections: [(positions: [Int], fields: [SourceField])] = [
            (Array(stride(from: 0, to: 200, by: 3)), [.siret, .codePostal]),
            ([], [.siret]),
            ([5, 6, 7, 199], [.libelleCommune, .siret, .enseigne1]),  // a field the batch lacks
            (Array(0..<200), [.codePostal]),
        ]
        let together = batch.gathering(selections)
        #expect(together.count == selections.count)
        for (selection, gathered) in zip(selections, together) {
            #expect(gathered.rowCount == selection.positions.count)
            for field in [SourceField.siret, .codePostal, .libelleCommune, .enseigne1] {
                let alone = selection.fields.contains(field) ? batch[field]?.gathering(selection.positions) : nil
                #expect(Self.bytes(gathered[field]) == Self.bytes(alone), "\(field)")
                #expect(gathered[field]?.data.validity == alone?.data.validity, "\(field)")
            }
        }
    }

    static func bytes(_ column: SourceColumn?) -> ByteArrayValues? {
        guard case let .byteArray(values)? = column?.data.storage else { return nil }
        return values
    }
}
