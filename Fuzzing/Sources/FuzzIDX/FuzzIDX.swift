import ClassicCV
import FuzzSupport

/// IDX bytes, raw or gzip-compressed, through the public decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in _ = try IDX.decode(bytes) }
}
