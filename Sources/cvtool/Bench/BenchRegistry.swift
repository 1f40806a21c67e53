import ClassicCV

/// What a benchmark op receives: the input file's bytes, the decoded image and the op's own
/// options (everything after IMAGE that `bench` itself does not consume).
struct BenchContext {
    let path: String
    let bytes: [UInt8]
    let decoded: AnyImage
    let arguments: [String]
}

/// One timed operation: `body` runs once per repetition; `pixels` is the work size used for
/// megapixels/s (the input image's pixel count unless the op says otherwise).
struct BenchCase {
    var pixels: Int
    var body: () throws -> Void
}

struct BenchOp {
    let name: String
    let summary: String
    let make: (BenchContext) throws -> BenchCase
}

/// Every op `cvtool bench` knows. Each module's ops live in their own file under Bench/.
enum BenchRegistry {
    static let ops: [BenchOp] = CoreBenchOps.all + FFTBenchOps.all + HOGBenchOps.all + FilterBenchOps.all + ResizeBenchOps.all
        + NMSBenchOps.all
        + KernelBenchOps.all
        + DetectBenchOps.all
        + MedianBilateralBenchOps.all
        + AugmentBenchOps.all
        + DetectorTrainBenchOps.all
        + ArrowBenchOps.all

    static func op(named name: String) -> BenchOp? { ops.first { $0.name == name } }
}
