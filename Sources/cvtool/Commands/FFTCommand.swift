import ArgumentParser
import ClassicCV
import Foundation

/// `--wisdom FILE` and `--effort`, shared by the FFT subcommands and bench ops.
struct FFTPlanningOptions: ParsableArguments {
    @Option(help: ArgumentHelp("FFTW wisdom file: read before planning if it exists, written back after.", valueName: "FILE"))
    var wisdom: String?

    @Option(help: "FFTW planner effort: estimate, measure or patient.")
    var effort: String = FFTPlannerEffort.default.rawValue

    func validate() throws {
        guard FFTPlannerEffort(rawValue: effort) != nil else {
            throw ValidationError("--effort must be estimate, measure or patient, got '\(effort)'")
        }
    }

    var plannerEffort: FFTPlannerEffort { FFTPlannerEffort(rawValue: effort) ?? .default }

    /// Applies the effort and loads the wisdom file (when it exists).
    func begin() throws {
        FFTPlanner.shared.defaultEffort = plannerEffort
        if let wisdom, FileManager.default.fileExists(atPath: wisdom) {
            try FFTWisdom.import(fromFile: wisdom)
        }
    }

    /// Saves the accumulated wisdom (when --wisdom was given).
    func end() throws {
        if let wisdom { try FFTWisdom.export(toFile: wisdom) }
    }
}

/// The gray plane of a decoded image as Double samples (values as stored: 0…255 for 8-bit).
enum FFTCommandSupport {
    static func grayPlane(_ image: AnyImage) throws -> FFTArray<Double> {
        switch image {
        case .uint8(let i): return try FFTArray<Double>(image: i.grayscale())
        case .uint16(let i): return try FFTArray<Double>(image: i.grayscale())
        case .float32(let i): return try FFTArray<Double>(image: i.grayscale())
        }
    }
}

struct FFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fft",
        abstract: "2-D DFT of the gray image: complex .npy or a viewable log-magnitude spectrum.",
        discussion: """
        The gray image (OpenCV's RGB2GRAY weights, sample values as stored: 0-255 for 8-bit) \
        is transformed with FFTW in double precision.

        OUT ending in .npy: complex128 array of shape (height, width) in numpy.fft.fft2 layout \
        (backward norm: unscaled; zero frequency at [0, 0] unless --shift, which applies \
        numpy.fft.fftshift). Any image extension (.png, ...): the centred spectrum \
        log(1 + |F|), min-max scaled to 0-255 (8-bit gray); --shift is implied.

        Examples:
          cvtool fft photo.png                # writes photo.spectrum.png
          cvtool fft photo.png -o F.npy       # np.load('F.npy') == fft2(gray)
          cvtool fft photo.png -o F.npy --shift --effort measure --wisdom w.txt
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: ArgumentHelp("Output .npy or image (default: IN with suffix .spectrum.png).", valueName: "OUT"))
    var output: String?

    @Flag(help: "Centre the zero frequency (numpy.fft.fftshift) in .npy output.")
    var shift = false

    @OptionGroup var planning: FFTPlanningOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "spectrum", defaultExtension: "png")
        try planning.begin()
        let gray = try FFTCommandSupport.grayPlane(try CommandIO.loadImage(input).image)
        if out.lowercased().hasSuffix(".npy") {
            var spectrum = try FFT.fullSpectrum(half: try FFT.rfft2(gray), columns: gray.columns)
            if shift { spectrum = FFT.fftshift(spectrum) }
            var interleaved = [Double]()
            interleaved.reserveCapacity(2 * spectrum.count)
            for z in spectrum.elements { interleaved.append(z.real); interleaved.append(z.imaginary) }
            let npy = NPYArray(shape: spectrum.shape, complexDoubles: interleaved)
            try CommandIO.write(NPY.encode(npy), to: out)
        } else {
            let view = try Spectrum.image(of: gray)
            try CommandIO.writeImage(.uint8(view), to: out)
        }
        try planning.end()
        CommandIO.announce(out)
    }
}
