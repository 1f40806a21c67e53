/// The one error type of ClassicCV.
///
/// Every case names what went wrong (a file path, a parameter name or a format) and carries one
/// human sentence, so a command-line tool can print `"\(error)"` as a single clear line.
public enum CVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file or buffer could not be decoded. `source` is the path (or "<memory>"),
    /// `reason` the decoder's own message where it has one (libpng's, libjpeg's, ...).
    case decoding(source: String, reason: String)
    /// An image or table could not be encoded.
    case encoding(target: String, reason: String)
    /// A caller-supplied parameter is out of range or inconsistent. Never "fixed" silently.
    case invalidParameter(name: String, reason: String)
    /// A configured safety limit (decode size, allocation) would be exceeded.
    case limitExceeded(source: String, reason: String)
    /// The input is well-formed but uses a feature or format we do not handle.
    case unsupported(source: String, reason: String)
    /// The operating system refused a read or write.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .decoding(source, reason): return "\(source): cannot decode: \(reason)"
        case let .encoding(target, reason): return "\(target): cannot encode: \(reason)"
        case let .invalidParameter(name, reason): return "invalid parameter '\(name)': \(reason)"
        case let .limitExceeded(source, reason): return "\(source): limit exceeded: \(reason)"
        case let .unsupported(source, reason): return "\(source): unsupported: \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }

    /// The same error with its source/target/path replaced, used when a buffer decoded from
    /// memory turns out to have come from a file.
    public func relabeled(_ name: String) -> CVError {
        switch self {
        case let .decoding(_, r): return .decoding(source: name, reason: r)
        case let .encoding(_, r): return .encoding(target: name, reason: r)
        case let .limitExceeded(_, r): return .limitExceeded(source: name, reason: r)
        case let .unsupported(_, r): return .unsupported(source: name, reason: r)
        case let .io(_, r): return .io(path: name, reason: r)
        case .invalidParameter: return self
        }
    }
}
