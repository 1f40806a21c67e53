import ArgumentParser
import ClassicCV
import Foundation

/// Options of the FFT bench ops (after IMAGE on the `cvtool bench` line).
struct FFTBenchArguments: ParsableArguments {
    @Option(help: "FFTW planner effort: estimate, measure or patient.")
    var effort: String = "measure"

    @Option(help: "float or double.")
    var precision: String = "float"

    @Flag(help: "Write into a preallocated output array instead of allocating one per call.")
    var into = false

    @Flag(help: "One fftwf_plan_dft_r2c_2d plan (FFTPlanner.splitsRealTransforms = false): the plan fft-raw runs.")
    var singlePlan = false

    @Option(help: "FFTW wisdom file to import before planning (pins the same plan across processes); created if missing.")
    var wisdom: String?

    func validate() throws {
        guard FFTPlannerEffort(rawValue: effort) != nil else { throw ValidationError("--effort must be estimate, measure or patient") }
        guard FFTPrecision(rawValue: precision) != nil else { throw ValidationError("--precision must be float or double") }
    }
    var plannerEffort: FFTPlannerEffort { FFTPlannerEffort(rawValue: effort)! }
    var fftPrecision: FFTPrecision { FFTPrecision(rawValue: precision)! }

    /// Parses the op's arguments and imports the wisdom file (when given and present).
    static func begin(_ ctx: BenchContext) throws -> FFTBenchArguments {
        let args = try parse(ctx.arguments)
        FFTPlanner.shared.splitsRealTransforms = !args.singlePlan
        if let w = args.wisdom, FileManager.default.fileExists(atPath: w) { try FFTWisdom.import(fromFile: w) }
        return args
    }

    /// Saves wisdom after planning, so later runs (and Tools/fftw_baseline) reuse the plan.
    func end() throws {
        if let w = wisdom, !FileManager.default.fileExists(atPath: w) { try FFTWisdom.export(toFile: w) }
    }
}

/// Bench ops of CVTransform's FFT tools. `fft-raw` runs FFTW's single 2-D plan with no
/// wrapper; `fft --single-plan` runs the very same cached plan through our API, plain `fft` our
/// default (split rows/columns, threads). Planning is excluded (done before the warm-up) and
/// timed alone by `fft-plan`.
enum FFTBenchOps {
    static let all: [BenchOp] = [
        BenchOp(name: "fft", summary: "2-D real-to-complex DFT of the gray image (FFT.rfft2; --effort measure, --precision float)") { ctx in
            let args = try FFTBenchArguments.begin(ctx)
            let gray = try grayPlane(ctx.decoded)
            let effort = args.plannerEffort
            try FFTPlanner.shared.prepare(shape: gray.shape, kind: .realToComplex, precision: args.fftPrecision, effort: effort)
            try args.end()
            switch args.fftPrecision {
            case .float:
                let x = gray.map { Float($0) }
                var out = try FFT.rfft2(x, effort: effort)
                if args.into {
                    return BenchCase(pixels: x.count) { try FFT.realForward(x, into: &out, effort: effort) }
                }
                return BenchCase(pixels: x.count) { _ = try FFT.rfft2(x, effort: effort) }
            case .double:
                var out = try FFT.rfft2(gray, effort: effort)
                if args.into {
                    return BenchCase(pixels: gray.count) { try FFT.realForward(gray, into: &out, effort: effort) }
                }
                return BenchCase(pixels: gray.count) { _ = try FFT.rfft2(gray, effort: effort) }
            }
        },
        BenchOp(name: "fft-raw", summary: "baseline: fftwf_execute_dft_r2c / fftw_execute_dft_r2c on the same cached plan, no wrapper") { ctx in
            let args = try FFTBenchArguments.begin(ctx)
            let gray = try grayPlane(ctx.decoded)
            let raw = try FFTRawExecution(gray, precision: args.fftPrecision, effort: args.plannerEffort)
            try args.end()
            return BenchCase(pixels: gray.count) { raw.run() }
        },
        BenchOp(name: "fft-plan", summary: "planning time alone of what `fft` runs (same options; wisdom forgotten and cache emptied each run)") { ctx in
            let args = try FFTBenchArguments.begin(ctx)
            let gray = try grayPlane(ctx.decoded)
            let (shape, precision, effort) = (gray.shape, args.fftPrecision, args.plannerEffort)
            return BenchCase(pixels: gray.count) {
                FFTWisdom.forget()
                FFTPlanner.shared.removeAllPlans()
                try FFTPlanner.shared.prepare(shape: shape, kind: .realToComplex, precision: precision, effort: effort)
            }
        },
        BenchOp(name: "fft-filter", summary: "frequency-domain filter of the gray image (fft-filter options, e.g. --lowpass 0.05)") { ctx in
            let options = try FFTFilterOptions.parse(ctx.arguments)
            let filter = try options.filter()
            let gray = ctx.decoded.asUInt8.grayscale()
            return BenchCase(pixels: gray.pixelCount) { _ = try filter.apply(to: gray) }
        },
    ]

    static func grayPlane(_ image: AnyImage) throws -> FFTArray<Double> { try FFTCommandSupport.grayPlane(image) }
}
