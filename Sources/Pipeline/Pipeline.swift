// Pipeline: the job runner of `builder run-profile` (docs/run-profile.md) and the SIRENE sample data.
//
//   Input/       reading the stock (Parquet or CSV, INSEE or simplified columns) row group by
//                row group, filter columns first, the rest only where rows match
//   Filtering/   the niche's filters (NAF, nomenclature, active, regions) on raw bytes
//   Canonical/   the output columns and the standardisation of one source batch into them
//   Quality/     validity flags, duplicates, scores and KPIs
//   Output/      dataset writers, manifest, log, checksums, the final commit (renames)
//   RunProfile/  options, step plan, the run itself, errors and its summary
//   JobValidation.swift  the checks of a job a run makes before reading (also used by
//                validate_job, write_job, batch --dry-run and create-job)
//   Sirene/      the StockEtablissement schema and the sample stock generator
//   Retention/   `builder prune`: removing the outputs of runs past their job's retention_days
