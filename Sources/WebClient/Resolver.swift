#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system resolver (`getaddrinfo`), to check where a direct request would go before making it.
enum Resolver {
    /// The addresses `host` resolves to (4 or 16 bytes each), or the DNS failure. Blocking: run it
    /// on a thread pool. `override` (tests only) is taken as the answer instead.
    static func addresses(of host: String, override: String?) -> Result<[[UInt8]], TransportFailure> {
        if let override, let bytes = InternalAddress.ipBytes(override) { return .success([bytes]) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else {
            let description = String(cString: gai_strerror(code))
            // "No such name" means the resolver answered: the network works.
            if code == EAI_NONAME || code == EAI_NODATA_VALUE {
                return .failure(TransportFailure(error: FetchError(.dns, "\(host) does not resolve (\(description))"), signal: .working))
            }
            return .failure(TransportFailure(error: FetchError(.dns, "\(host) could not be resolved: \(description)"), signal: .failed))
        }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                switch Int32(current.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        addresses.append(withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) })
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        addresses.append(withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) })
                    }
                default: break
                }
            }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }

    /// An address's usual text form.
    static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let done = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard done != nil else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
