// Parquet — placeholder until implemented.
