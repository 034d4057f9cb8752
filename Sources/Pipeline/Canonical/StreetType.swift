/// INSEE's street-type abbreviations (`typeVoieEtablissement`) and the words they stand for,
/// upper case like the rest of INSEE's address fields. Unknown codes are kept as written.
enum StreetType {
    static let words: [[UInt8]: [UInt8]] = {
        let table: [(String, String)] = [
            ("ALL", "ALLEE"), ("AV", "AVENUE"), ("BD", "BOULEVARD"), ("CAR", "CARREFOUR"), ("CHE", "CHEMIN"),
            ("CHS", "CHAUSSEE"), ("CITE", "CITE"), ("COR", "CORNICHE"), ("CRS", "COURS"), ("DOM", "DOMAINE"),
            ("DSC", "DESCENTE"), ("ECA", "ECART"), ("ESP", "ESPLANADE"), ("FG", "FAUBOURG"), ("GR", "GRANDE RUE"),
            ("HAM", "HAMEAU"), ("HLE", "HALLE"), ("IMP", "IMPASSE"), ("LD", "LIEU-DIT"), ("LOT", "LOTISSEMENT"),
            ("MAR", "MARCHE"), ("MTE", "MONTEE"), ("PAS", "PASSAGE"), ("PL", "PLACE"), ("PLN", "PLAINE"),
            ("PLT", "PLATEAU"), ("PRO", "PROMENADE"), ("PRV", "PARVIS"), ("QUA", "QUARTIER"), ("QUAI", "QUAI"),
            ("RES", "RESIDENCE"), ("RLE", "RUELLE"), ("ROC", "ROCADE"), ("RPT", "ROND-POINT"), ("RTE", "ROUTE"),
            ("RUE", "RUE"), ("SEN", "SENTIER"), ("SQ", "SQUARE"), ("TPL", "TERRE-PLEIN"), ("TRA", "TRAVERSE"),
            ("VLA", "VILLA"), ("VLGE", "VILLAGE"), ("ZA", "ZONE ARTISANALE"), ("ZAC", "ZONE D'AMENAGEMENT CONCERTE"),
            ("ZI", "ZONE INDUSTRIELLE"),
        ]
        return Dictionary(uniqueKeysWithValues: table.map { (Array($0.0.utf8), Array($0.1.utf8)) })
    }()

    /// The word for `code`, or nil when the code is not in the table.
    static func word(for code: UnsafeRawBufferPointer) -> [UInt8]? {
        guard code.count <= 4 else { return nil }
        return words[Array(code)]
    }
}
