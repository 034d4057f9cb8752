import CProj

/// Converts projected coordinates (`Projection`) to WGS84 latitude and longitude with PROJ.
///
/// PROJ objects are not thread-safe: a converter owns its own PROJ context and the
/// transformations it created in it (one per projection, made on first use and kept), and must
/// be used by one thread at a time. `WGS84ConverterPool` hands converters to threads.
///
/// Each transformation is PROJ's `proj_create_crs_to_crs` from the projection's EPSG code to
/// WGS 84 (EPSG:4326), normalised with `proj_normalize_for_visualization` so that it takes
/// easting, northing and gives longitude, latitude whatever the axis order the EPSG definitions
/// declare. Network access (PROJ's downloadable grids) is turned off and PROJ logs nothing: its
/// errors come back as `GeoError`s.
public final class WGS84Converter {
    private let context: OpaquePointer?
    /// Per `Projection.ordinal`: the transformation, once made.
    private var transformations: [OpaquePointer?] = Array(repeating: nil, count: Projection.allCases.count)
    /// PROJ's first error message since the last transformation was made (`proj_create: Cannot find
    /// proj.db`), which says more than its error code.
    private let log = ErrorLog()

    public init() {
        context = proj_context_create()
        if let context {
            proj_log_func(context, Unmanaged.passUnretained(log).toOpaque()) { data, _, message in
                guard let data, let message else { return }
                let log = Unmanaged<ErrorLog>.fromOpaque(data).takeUnretainedValue()
                if log.first == nil { log.first = String(cString: message) }
            }
            _ = proj_log_level(context, PJ_LOG_ERROR)
            _ = proj_context_set_enable_network(context, 0)
        }
    }

    deinit {
        for transformation in transformations where transformation != nil { proj_destroy(transformation) }
        if let context { proj_context_destroy(context) }
    }

    /// Makes the transformation of `projection` now (it is otherwise made on first use), so that
    /// a missing PROJ database is reported before any point is converted.
    public func prepare(_ projection: Projection) throws(GeoError) {
        _ = try transformation(projection)
    }

    /// One point; nil when PROJ cannot convert it (far outside the projection's domain).
    public func convert(_ projection: Projection, easting: Double, northing: Double) throws(GeoError) -> GeoPoint? {
        var x = easting
        var y = northing
        try withUnsafeMutablePointer(to: &x) { (x) throws(GeoError) in
            try withUnsafeMutablePointer(to: &y) { (y) throws(GeoError) in
                try convert(projection, eastings: UnsafeMutableBufferPointer(start: x, count: 1),
                            northings: UnsafeMutableBufferPointer(start: y, count: 1))
            }
        }
        guard x.isFinite, y.isFinite else { return nil }
        return GeoPoint(latitude: y, longitude: x)
    }

    /// Many points in place: each easting becomes its longitude and each northing its latitude;
    /// both become infinite for a point PROJ cannot convert. The buffers have the same count.
    public func convert(_ projection: Projection, eastings: UnsafeMutableBufferPointer<Double>,
                        northings: UnsafeMutableBufferPointer<Double>) throws(GeoError) {
        precondition(eastings.count == northings.count, "as many eastings as northings")
        guard let first = eastings.baseAddress, let second = northings.baseAddress, eastings.count > 0 else { return }
        let transformation = try transformation(projection)
        let stride = MemoryLayout<Double>.stride
        let count = eastings.count
        _ = proj_trans_generic(transformation, PJ_FWD, first, stride, count, second, stride, count, nil, 0, 0, nil, 0, 0)
        // A point PROJ could not convert is HUGE_VAL and leaves an error on the object: clear it.
        _ = proj_errno_reset(transformation)
    }

    private func transformation(_ projection: Projection) throws(GeoError) -> OpaquePointer {
        if let made = transformations[projection.ordinal] { return made }
        guard let context else {
            throw GeoError(epsg: projection.epsg, message: "PROJ could not create a context for \(projection.identifier) (out of memory)")
        }
        log.first = nil
        guard let raw = proj_create_crs_to_crs(context, projection.identifier, "EPSG:4326", nil) else {
            throw failure(projection, "cannot create the transformation")
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context, raw) else {
            throw failure(projection, "cannot normalise the axis order (easting, northing to longitude, latitude) of the transformation")
        }
        transformations[projection.ordinal] = normalized
        return normalized
    }

    /// The error of the last PROJ call in this context, with what we were doing.
    private func failure(_ projection: Projection, _ doing: String) -> GeoError {
        var reason = log.first ?? "unknown error"
        if log.first == nil, let context {
            let code = proj_context_errno(context)
            if code != 0, let text = proj_context_errno_string(context, code) { reason = String(cString: text) }
        }
        return GeoError(epsg: projection.epsg, message: "PROJ \(doing) from \(projection.identifier) (\(projection.name)) "
            + "to WGS 84 (EPSG:4326): \(reason) (PROJ's database proj.db must be installed: Debian package proj-data, "
            + "or PROJ_DATA set to its directory)")
    }
}

/// Where a context's log function keeps PROJ's first error message (the converter owns it and
/// outlives its context).
private final class ErrorLog {
    var first: String?
}
