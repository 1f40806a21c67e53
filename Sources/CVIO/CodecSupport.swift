import CCodecs
import CVCore

/// Turns a C codec status into a `CVError` naming `source`.
func check(_ code: Int32, _ err: cc_error, source: String, format: String) throws {
    guard code != 0 else { return }
    var e = err
    let message = withUnsafeBytes(of: &e.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    let reason = message.isEmpty ? "\(format) error \(code)" : "\(format): \(message)"
    switch Int(code) {
    case Int(CC_ERR_LIMIT): throw CVError.limitExceeded(source: source, reason: reason)
    case Int(CC_ERR_UNSUPPORTED): throw CVError.unsupported(source: source, reason: reason)
    case Int(CC_ERR_ENCODE): throw CVError.encoding(target: source, reason: reason)
    case Int(CC_ERR_NOMEM): throw CVError.limitExceeded(source: source, reason: "out of memory: \(reason)")
    default: throw CVError.decoding(source: source, reason: reason)
    }
}

/// Copies a malloc'ed C buffer into an array and frees it.
func takeBuffer(_ p: UnsafeMutablePointer<UInt8>?, _ n: Int) -> [UInt8] {
    defer { cc_free(p) }
    guard let p, n > 0 else { return [] }
    return [UInt8](UnsafeBufferPointer(start: p, count: n))
}
