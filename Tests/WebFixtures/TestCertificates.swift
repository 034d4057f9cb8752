import Foundation
import NIOConcurrencyHelpers
import TestSupport

/// A certificate authority made at test time (with the `openssl` command), and a certificate per
/// host signed by it: the fixture server's TLS identities. Made once per test process, in a
/// temporary directory removed when the process ends.
public final class TestCertificates: Sendable {
    /// The one authority of the test process.
    public static let shared = TestCertificates()

    private let directory: TestDirectory
    private let made = NIOLockedValueBox<[String: (certificate: String, key: String)]>([:])
    private let caResult: Result<String, TestCertificateError>

    /// The CA certificate (PEM): give it as the CA file to trust the fixture sites.
    public var caFile: String {
        get throws { try caResult.get() }
    }

    private init() {
        let directory = try! TestDirectory(prefix: "test-ca")
        self.directory = directory
        do throws(TestCertificateError) {
            try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", directory.file("ca.key"), "-out", directory.file("ca.pem"), "-days", "2",
                              "-subj", "/CN=builder test CA",
                              "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            caResult = .success(directory.file("ca.pem"))
        } catch {
            caResult = .failure(error)
        }
        // A static is never released: remove the directory when the process exits.
        atexit { TestCertificates.shared.directory.remove() }
    }

    /// The certificate and key files (PEM) of `host`, signed by the CA.
    public func identity(for host: String) throws -> (certificate: String, key: String) {
        try made.withLockedValue { made in
            if let files = made[host] { return files }
            let ca = try caFile
            let name = String(host.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
            let files = (certificate: directory.file("\(name).pem"), key: directory.file("\(name).key"))
            let isAddress = host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":")
            try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", files.key, "-out", files.certificate, "-days", "2", "-subj", "/CN=\(host)",
                              "-CA", ca, "-CAkey", directory.file("ca.key"),
                              "-addext", "subjectAltName=\(isAddress ? "IP" : "DNS"):\(host)",
                              "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth"])
            made[host] = files
            return files
        }
    }

    private static func openssl(_ arguments: [String]) throws(TestCertificateError) {
        let run: ProcessRun
        do {
            run = try runProcess("/usr/bin/env", ["openssl"] + arguments, timeout: 30)
        } catch {
            throw TestCertificateError(message: "cannot run openssl: \(error)")
        }
        guard run.status == 0 else { throw TestCertificateError(message: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(run.stderr)") }
    }
}

public struct TestCertificateError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
