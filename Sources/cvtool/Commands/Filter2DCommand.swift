import ArgumentParser
import ClassicCV
import Foundation

/// The output sample type of `filter` (OpenCV's ddepth).
enum FilterDepth: String, CaseIterable, ExpressibleByArgument {
    case same, u8, u16, s16, f32
}

extension Filter2DParameters.Method: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "direct": self = .direct
        case "auto", "automatic": self = .automatic
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["direct", "auto"] }
    public var defaultValueDescription: String { self == .direct ? "direct" : "auto" }
}

/// Options of `filter` (reused by the `filter2d` and `sepfilter` bench ops), parsed into a
/// `Kernel` (or two 1-D halves) and `Filter2DParameters`; the library validates every value.
struct FilterOptions: ParsableArguments {
    // `.unconditional`: a kernel may start with a minus sign ("-1,0,1").
    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel rows separated by ';', coefficients by ',' (\"1,2,1;2,4,2;1,2,1\").",
                               valueName: "rows"))
    var kernel: String?

    @Option(name: .customLong("kernel-file"),
            help: ArgumentHelp("Kernel file: CSV (one row per line, comma-separated) or a 2-D .npy array.", valueName: "path"))
    var kernelFile: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Separable kernel as its two halves, \"ROW;COLUMN\" (cv2.sepFilter2D).", valueName: "row;column"))
    var separable: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Anchor column,row inside the kernel (default: the centre).", valueName: "x,y"))
    var anchor: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Added to every output sample.", valueName: "D"))
    var delta: Double = 0

    @Option(help: ArgumentHelp("Output sample type: same as the input, u8, u16, s16 (8-bit input, .npy output) or f32 (OpenCV's ddepth).", valueName: "type"))
    var depth: FilterDepth = .same

    @Option(help: ArgumentHelp("Border: reflect101, reflect, replicate, constant[:V] or wrap.", valueName: "mode"))
    var border: BorderMode = .reflect101

    @Option(help: ArgumentHelp("direct (exactly cv2.filter2D) or auto (separable passes when the kernel's rank makes them cheaper).",
                               valueName: "name"))
    var method: Filter2DParameters.Method = .direct

    static let optionNames = ["kernel": "--kernel", "anchor": "--anchor", "delta": "--delta", "depth": "--depth",
                              "row": "--separable", "column": "--separable", "border": "--border"]

    func validate() throws {
        let given = [kernel, kernelFile, separable].compactMap { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --kernel, --kernel-file, --separable") }
    }

    var parameters: Filter2DParameters { Filter2DParameters(delta: delta, border: border, method: method) }

    /// The anchor as (x, y), nil for the centre.
    /// - Throws: `ValidationError` (exit 64) unless it reads "X,Y" with two integers.
    func anchorPoint() throws -> (Int, Int)? {
        guard let anchor else { return nil }
        let parts = anchor.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let x = parts[0], let y = parts[1] else {
            throw ValidationError("--anchor must be X,Y (two integers), got '\(anchor)'")
        }
        return (x, y)
    }

    /// The 2-D kernel of --kernel or --kernel-file; the library refuses bad values.
    func kernelValue() throws -> Kernel {
        let rows: [[Double]]
        if let kernel { rows = try KernelText.rows(kernel, rowSeparator: ";", option: "--kernel") }
        else if let kernelFile { rows = try KernelText.file(kernelFile) }
        else { throw ValidationError("--separable gives two 1-D halves, not a 2-D kernel") }
        let a = try anchorPoint()
        return try CommandIO.namingOptions(Self.optionNames) { try Kernel(rows: rows, anchorX: a?.0, anchorY: a?.1) }
    }

    /// `image` filtered as these options say, at the output type --depth names.
    func apply(_ image: AnyImage) throws -> AnyImage {
        switch (depth, image) {
        case (.same, .uint8(let i)), (.u8, .uint8(let i)): return .uint8(try run(i, as: UInt8.self))
        case (.same, .uint16(let i)), (.u16, .uint16(let i)): return .uint16(try run(i, as: UInt16.self))
        case (.same, .float32(let i)), (.f32, .float32(let i)): return .float32(try run(i, as: Float.self))
        case (.f32, .uint8(let i)): return .float32(try run(i, as: Float.self))
        case (.f32, .uint16(let i)): return .float32(try run(i, as: Float.self))
        default:
            throw CVError.invalidParameter(name: "--depth", reason: "a \(image.depth) image cannot be filtered into \(depth.rawValue); "
                                           + "use same or f32")
        }
    }

    /// `--depth s16`: OpenCV's CV_16S output of an 8-bit image, written as an int16 NumPy array.
    /// - Throws: `ValidationError` (exit 64) unless the output is `.npy`; `CVError` for a
    ///   non-8-bit input or a value the library refuses.
    func applyInt16(_ image: AnyImage, writingTo path: String) throws -> CommandOutput {
        guard CommandIO.isNPY(path) else { throw ValidationError("--depth s16 writes signed samples: give an .npy output") }
        guard case .uint8(let i) = image else {
            throw CVError.invalidParameter(name: "--depth", reason: "s16 output is for 8-bit images, got \(image.depth)")
        }
        let out: Int16Image
        if let separable {
            let halves = try KernelText.rows(separable, rowSeparator: ";", option: "--separable")
            guard halves.count == 2 else { throw ValidationError("--separable needs two halves, \"ROW;COLUMN\"") }
            let a = try anchorPoint()
            out = try CommandIO.namingOptions(Self.optionNames) {
                try i.separableFilteredInt16(row: halves[0], column: halves[1], anchorX: a?.0, anchorY: a?.1, parameters)
            }
        } else {
            let k = try kernelValue()
            out = try CommandIO.namingOptions(Self.optionNames) { try i.filtered2DInt16(k, parameters) }
        }
        let shape = out.channels == 1 ? [out.height, out.width] : [out.height, out.width, out.channels]
        return .bytes(NPY.encode(NPYArray(shape: shape, int16s: out.samples)))
    }

    private func run<P: PixelScalar, D: PixelScalar>(_ image: Image<P>, as _: D.Type) throws -> Image<D> {
        if let separable {
            let halves = try KernelText.rows(separable, rowSeparator: ";", option: "--separable")
            guard halves.count == 2 else { throw ValidationError("--separable needs two halves, \"ROW;COLUMN\"") }
            let a = try anchorPoint()
            return try CommandIO.namingOptions(Self.optionNames) {
                try image.separableFiltered(row: halves[0], column: halves[1], anchorX: a?.0, anchorY: a?.1, as: D.self, parameters)
            }
        }
        let k = try kernelValue()
        return try CommandIO.namingOptions(Self.optionNames) { try image.filtered2D(k, as: D.self, parameters) }
    }
}

/// Kernel text as the command line and CSV files spell it.
enum KernelText {
    /// Rows split at `rowSeparator` (and newlines), coefficients at commas or spaces.
    /// - Throws: `ValidationError` (exit 64) naming `option` for a coefficient that is not a number.
    static func rows(_ text: String, rowSeparator: Character, option: String) throws -> [[Double]] {
        try text.split(whereSeparator: { $0 == rowSeparator || $0.isNewline }).compactMap { line -> [Double]? in
            let fields = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
            if fields.isEmpty { return nil }
            return try fields.map { f in
                guard let v = Double(f) else { throw ValidationError("\(option): '\(f)' is not a number") }
                return v
            }
        }
    }

    /// A CSV kernel (rows per line) or a 2-D NumPy array.
    /// - Throws: `CVError` for an unreadable file or array, `ValidationError` for bad CSV text.
    static func file(_ path: String) throws -> [[Double]] {
        let bytes = try CommandIO.readInput(path)
        guard CommandIO.isNPY(path) else {
            return try rows(String(decoding: bytes, as: UTF8.self), rowSeparator: "\n", option: "--kernel-file")
        }
        let array = try NPY.decode(bytes, source: path)
        guard array.shape.count == 2 || array.shape.count == 1 else {
            throw CVError.invalidParameter(name: "--kernel-file", reason: "\(path): needs a 1-D or 2-D array, got shape \(array.shape)")
        }
        let values = array.toDoubles(), w = array.shape.last!
        return stride(from: 0, to: values.count, by: max(w, 1)).map { Array(values[$0..<min($0 + w, values.count)]) }
    }
}

struct Filter2DCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Correlate with an arbitrary kernel (cv2.filter2D) or two 1-D halves (cv2.sepFilter2D).",
        usage: "cvtool filter <input> [-o <path>] --kernel <rows> [<options>]",
        discussion: """
        The kernel is one of --kernel, --kernel-file or --separable. \
        Correlation, as OpenCV's filter2D (flip the kernel for a convolution). 8-bit output is \
        rounded to nearest even and saturated. With --depth f32 and OUT.npy the raw Float32 \
        result is written. --method auto runs a kernel of rank r as r separable passes when \
        that costs fewer multiply-adds than the direct sum.

        Examples:
          cvtool filter photo.png --kernel "0,-1,0;-1,5,-1;0,-1,0" -o sharp.png
          cvtool filter photo.png --kernel-file k.csv --anchor 0,0 --delta 128 --border replicate
          cvtool filter photo.png --separable "1,2,1;-1,0,1" --depth f32 -o dy.npy
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.filter.png; .npy: raw samples")) var output: String?
    @OptionGroup var options: FilterOptions

    var outputSuffix: String { "filter" }
    static var optionNames: [String: String] { FilterOptions.optionNames }
    var otherInputs: [String] { options.kernelFile.map { [$0] } ?? [] }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        if options.depth == .s16 { return try options.applyInt16(image, writingTo: path) }
        let out = try options.apply(image)
        return CommandIO.isNPY(path) ? .bytes(NPY.encode(NPYArray(image: out))) : .image(out)
    }
}
