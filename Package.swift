// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom to top (dependencies point down only):
//   C shims (CLua, CCompression, CCrypto, CBrotli, CProj, CSpawn, CWriteback, CAllocator, CXLSXWriter)  SystemIO (reads and writes again after EINTR)
//   AtomicOutput (files renamed into place when complete)
//   Columns (the one column layout: typed values, byte-array offsets, validity bitmaps; the builder that fills it)
//   Basics (JSON, YAML, structured values, files, signals, text helpers, UTF-8 checks, name suggestions, SHA-256; no domain)
//   LuaRuntime (Lua state, values, errors; no domain)      Parquet, CSV, XLSX (data formats; no domain)
//   Conversion (CSV text <-> typed columns, convert and inspect as a library; no domain)
//   Geo (PROJ: French projected coordinates to WGS84, each département's projection and bounds; no SIRENE or jobs)
//   WebPages (what web pages say: domain guesses, HTML text and links, ownership proof, contacts,
//   social links, sitemaps; pure functions, no networking)
//   Report (HTML pages, SVG charts, the map of France with Data/departements.tsv; plain values in, no domain)
//   WebClient (HTTP fetching: robots.txt, politeness, cache, proxy, safety; no knowledge of SIRENE or pages)
//   INSEECodes (INSEE's tables: legal categories, headcount bands, the table reader) -> NAF (activity
//   codes, the NAF tables) -> Jobs (templates, job files, child processes) -> Pipeline (run-profile steps;
//   its web steps fetch through WebClient and read pages with WebPages)
//   INSEE's tables live in Data/ and are compiled into the target that owns them by EmbedScripts.
//   Scripting (the `builder` Lua table, embedded scripts; checks jobs with Pipeline's JobValidation, as a run does)
//   builder (the executable: swift-argument-parser commands)
let package = Package(
    name: "builder",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "builder", targets: ["builder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // HTTP/1.1 and HTTP/2 with TLS for WebClient; SwiftNIO for its connection checks and the
        // tests' fixture server.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
    ],
    targets: [
        // C shims.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CCompression", providers: [.apt(["zlib1g-dev", "libzstd-dev", "libsnappy-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // PROJ's C API; its database proj.db comes with proj-data.
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev", "proj-data"])]),
        // libxlsxwriter, for dataset.xlsx.
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Brotli, decoding only (Content-Encoding: br).
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
        // Our own fork + exec, for child processes that die with their parent (see its header).
        .target(name: "CSpawn"),
        // Linux's sync_file_range (declared under _GNU_SOURCE only), to start a file's disk writes early.
        .target(name: "CWriteback"),
        // glibc's malloc_trim (declared in <malloc.h>), to give the allocator's free memory back.
        .target(name: "CAllocator"),

        // Reads and writes of file descriptors, again after interruptions and short transfers.
        .target(name: "SystemIO"),

        // Output files that appear complete or not at all (POSIX only).
        .target(name: "AtomicOutput", dependencies: ["CWriteback", "SystemIO"]),

        // The column layout (typed values, offsets, validity) that the formats and the pipeline share.
        .target(name: "Columns"),

        // General utilities every layer above uses: no knowledge of SIRENE or jobs.
        .target(name: "Basics", dependencies: ["AtomicOutput", "SystemIO", "CCrypto", .product(name: "Yams", package: "Yams")]),

        // The build tool that compiles scripts, templates and INSEE tables into their targets.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedScripts", capability: .buildTool(), dependencies: ["EmbedFiles"]),

        // Runtime and data formats: no knowledge of SIRENE or jobs.
        .target(name: "LuaRuntime", dependencies: ["CLua", "Basics"]),
        .target(name: "Parquet", dependencies: ["Columns", "CCompression", "AtomicOutput", "SystemIO"]),
        .target(name: "CSV", dependencies: ["Columns", "AtomicOutput", "SystemIO"]),
        // Between formats: CSV text to typed columns and back, `convert` and `inspect` without
        // their command lines.
        .target(name: "Conversion", dependencies: ["Basics", "Columns", "CSV", "Parquet"]),
        // Coordinates: Lambert-93 and the overseas UTM projections to WGS84 through PROJ.
        .target(name: "Geo", dependencies: ["CProj"]),
        .target(name: "XLSX", dependencies: ["CXLSXWriter"]),
        // What web pages say (pure functions on text; the HTTP side is WebClient).
        .target(name: "WebPages", dependencies: ["Basics", "CCompression"]),

        // Reports: HTML pages and SVG charts and maps from plain values (no knowledge of the pipeline);
        // embeds the département outlines of Data/departements.tsv.
        .target(name: "Report", dependencies: ["INSEECodes"], plugins: ["EmbedScripts"]),

        // The HTTP side of web enrichment: fetches pages politely (robots.txt, a delay per host, a
        // concurrency bound), safely (http/https only, no internal address) and through an on-disk
        // cache. No knowledge of SIRENE, pipelines or what pages mean.
        .target(name: "WebClient", dependencies: [
            "Basics", "CCompression", "CBrotli",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // Domain. NAF and INSEECodes embed their INSEE tables (Data/*.tsv) with EmbedScripts.
        .target(name: "INSEECodes", plugins: ["EmbedScripts"]),
        .target(name: "NAF", dependencies: ["Basics", "INSEECodes"], plugins: ["EmbedScripts"]),
        .target(name: "Jobs", dependencies: ["Basics", "INSEECodes", "NAF", "CSpawn", .product(name: "Yams", package: "Yams")]),
        .target(name: "Pipeline", dependencies: ["Basics", "Columns", "LuaRuntime", "INSEECodes", "NAF", "Jobs", "Parquet", "CSV", "XLSX", "CCrypto", "CAllocator", "SystemIO",
                                                 "Geo", "Report", "WebClient", "WebPages"]),

        // Scripting layer: the `builder` Lua API and the embedded scripts.
        .target(name: "Scripting", dependencies: ["Basics", "SystemIO", "LuaRuntime", "INSEECodes", "NAF", "Jobs", "Pipeline"], plugins: ["EmbedScripts"]),

        // The command-line program.
        .executableTarget(name: "builder", dependencies: [
            "Basics", "Scripting", "Pipeline", "Jobs", "INSEECodes", "NAF", "Parquet", "CSV", "Conversion",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers the test targets share (temporary directories, background work, a seeded
        // generator); depended on by test targets only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Fixture websites for the web tests: a loopback server that is the proxy for every host
        // (plain and CONNECT, TLS with a test CA, HTTP/2), virtual hosts defined in Swift, a log of
        // every request. Brotli's encoder is for these fixtures only.
        .systemLibrary(name: "CBrotliEncoder", path: "Tests/CBrotliEncoder", pkgConfig: "libbrotlienc"),
        .target(name: "WebFixtures", dependencies: [
            "TestSupport", "CCompression", "CBrotliEncoder",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        ], path: "Tests/WebFixtures"),

        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "AtomicOutputTests", dependencies: ["AtomicOutput", "TestSupport"]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime", "TestSupport"]),
        // ParquetTests also checks Conversion's text of every type its fixtures write.
        .testTarget(name: "ParquetTests", dependencies: ["Columns", "Conversion", "Parquet", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CSVTests", dependencies: ["Columns", "CSV", "TestSupport"]),
        .testTarget(name: "ColumnsTests", dependencies: ["Columns"]),
        .testTarget(name: "ConversionTests", dependencies: ["Basics", "Columns", "Conversion", "CSV", "Parquet", "TestSupport"]),
        .testTarget(name: "GeoTests", dependencies: ["Geo"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "TestSupport"]),
        .testTarget(name: "WebPagesTests", dependencies: ["WebPages", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WebClientTests", dependencies: ["Basics", "WebClient", "WebFixtures", "TestSupport"]),
        .testTarget(name: "NAFTests", dependencies: ["NAF", "TestSupport"]),
        .testTarget(name: "INSEECodesTests", dependencies: ["INSEECodes"]),
        .testTarget(name: "JobsTests", dependencies: ["Basics", "Jobs", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "INSEECodes"]),
        .testTarget(name: "PipelineTests", dependencies: ["Basics", "Columns", "Geo", "Pipeline", "TestSupport"]),
        .testTarget(name: "ScriptingTests", dependencies: ["Basics", "Scripting", "TestSupport"]),
        // End to end through the real binary.
        .testTarget(name: "CLITests", dependencies: ["builder", "Parquet", "TestSupport", "WebFixtures", "WebPages"]),
    ]
)
