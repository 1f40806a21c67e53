import ClassicCV
import FuzzSupport

/// PNG bytes through the public in-memory entry points: the header reader and the full decode
/// (format sniffing, limits, EXIF orientation), with limits that keep allocations small.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        _ = try? ImageIO.header(of: bytes, limits: Fuzz.limits)
        _ = try ImageIO.decode(bytes, options: Fuzz.options)
    }
}
