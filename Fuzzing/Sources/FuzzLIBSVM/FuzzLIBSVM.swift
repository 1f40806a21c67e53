import ClassicCV
import FuzzSupport

/// LIBSVM / SVMlight text (sparse `index:value`, `qid:`, `#` comments) through the public
/// in-memory reader; seeds are written by the library's own LIBSVM writer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLIBSVM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in _ = try FeatureTable.decode(bytes, format: .libsvm) }
}

@_cdecl("LLVMFuzzerInitialize")
public func initializeLIBSVM(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    Fuzz.writeSeedsIfAsked {
        let (x, y) = Fuzz.blobs()
        let written = try FeatureTable(features: .double(x), labels: y).encoded(as: .libsvm)
        let commented = Array("1 qid:3 1:0.5 3:-2e-3 # note\n-1 2:1\n\n0 4:7 # last\n".utf8)
        return ["blobs.svm": written, "qid-comments.svm": commented]
    }
    return 0
}
