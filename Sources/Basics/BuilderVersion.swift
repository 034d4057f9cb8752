/// The product version, shown by `--version` and recorded in what builder writes
/// (`created_by` of Parquet files, manifests).
public enum BuilderVersion {
    public static let current = "0.1.0"
    public static let createdBy = "builder version \(current)"
}
