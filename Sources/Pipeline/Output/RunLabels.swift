/// What the files people read call the run's figures (the manifest's `counts`, `kpis` and
/// `kpis.targets` keys, and a few words around them), in the languages of `output.lang`. A key
/// without a label is shown as it is: a new KPI appears before it is named here.
enum RunLabels {
    static func label(_ key: String, language: String) -> String {
        guard let labels = table[key] else { return key }
        return language == "en" ? labels.en : labels.fr
    }

    private static let table: [String: (fr: String, en: String)] = [
        // Words.
        "indicator": ("Indicateur", "Indicator"),
        "value": ("Valeur", "Value"),
        "target": ("Objectif", "Target"),
        "met": ("Atteint", "Met"),
        "niche": ("Niche", "Niche"),
        "reference_date": ("Date de référence", "Reference date"),
        // counts
        "rows_read": ("Lignes lues", "Rows read"),
        "rows_matched": ("Lignes retenues par les filtres", "Rows matching the filters"),
        "rows_collected": ("Lignes collectées", "Rows collected"),
        "duplicates_removed": ("Doublons supprimés", "Duplicates removed"),
        "rows_exported": ("Lignes exportées", "Rows exported"),
        // kpis
        "rows": ("Lignes", "Rows"),
        "dup_pct": ("Doublons (%)", "Duplicates (%)"),
        "mean_quality_score": ("Score qualité moyen", "Mean quality score"),
        "mean_completeness": ("Complétude moyenne", "Mean completeness"),
        "mean_contactability": ("Joignabilité moyenne", "Mean contactability"),
        "mean_freshness": ("Fraîcheur moyenne", "Mean freshness"),
        "pct_siren_valid": ("SIREN valides (%)", "Valid SIREN (%)"),
        "pct_siret_valid": ("SIRET valides (%)", "Valid SIRET (%)"),
        "pct_code_postal_valid": ("Codes postaux valides (%)", "Valid postal codes (%)"),
        "pct_date_creation_valid": ("Dates de création valides (%)", "Valid creation dates (%)"),
        "pct_with_address": ("Avec une adresse (%)", "With an address (%)"),
        // kpis.targets
        "min_quality_score": ("Score qualité moyen, objectif minimum", "Mean quality score, minimum target"),
        "max_dup_pct": ("Doublons (%), objectif maximum", "Duplicates (%), maximum target"),
    ]
}
