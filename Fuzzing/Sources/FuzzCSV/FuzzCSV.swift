import ClassicCV
import FuzzSupport

/// CSV feature tables (header, quoted fields, `label`/`path` columns) through the public
/// in-memory reader; seeds: the committed CSV fixtures' first rows and one quoted table.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in _ = try FeatureTable.decode(bytes, format: .csv) }
}

@_cdecl("LLVMFuzzerInitialize")
public func initializeCSV(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    Fuzz.writeSeedsIfAsked {
        let (x, y) = Fuzz.blobs()
        let table = FeatureTable(features: .double(x), labels: y, paths: y.indices.map { "dir, \"\($0)\".png" })
        return ["quoted.csv": try table.encoded(as: .csv)]
    }
    return 0
}
