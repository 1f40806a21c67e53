import ArgumentParser
import CFFTW
import ClassicCV
import Foundation

/// `--wisdom <path>` and `--effort`, shared by the FFT subcommands and bench ops.
struct FFTPlanningOptions: ParsableArguments {
    @Option(help: ArgumentHelp("FFTW wisdom file: read before planning if it exists, written back after.", valueName: "path"))
    var wisdom: String?

    @Option(help: ArgumentHelp("FFTW planner effort; measure and patient search for about \(Int(Self.planningSeconds)) s "
                               + "per transform shape at most (keep the plans with --wisdom).", valueName: "effort"))
    var effort: FFTPlannerEffort = .default

    /// FFTW's planning-time bound for `measure` and `patient` (`fftw_set_timelimit`): a
    /// `patient` search on an awkward size (2000×1999) would otherwise run for minutes. FFTW
    /// treats it as a soft bound that it overruns several-fold (docs/performance.md).
    static let planningSeconds = 2.0

    /// Applies the effort and the planning-time bound, and loads the wisdom file (when it exists).
    func begin() throws {
        FFTPlanner.withPlannerLock {
            fftw_set_timelimit(Self.planningSeconds)
            fftwf_set_timelimit(Self.planningSeconds)
        }
        FFTPlanner.shared.defaultEffort = effort
        if let wisdom, FileManager.default.fileExists(atPath: wisdom) {
            try FFTWisdom.import(fromFile: wisdom)
        }
    }

    /// Saves the accumulated wisdom (when --wisdom was given).
    func end() throws {
        if let wisdom { try FFTWisdom.export(toFile: wisdom) }
    }

    /// Runs `body` between `begin()` and `end()`.
    func planning<T>(_ body: () throws -> T) throws -> T {
        try begin()
        let result = try body()
        try end()
        return result
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

    /// The full complex spectrum of `gray` as a complex128 NPY file, optionally fftshifted.
    static func spectrumNPY(_ gray: FFTArray<Double>, shift: Bool) throws -> [UInt8] {
        var spectrum = try FFT.fullSpectrum(half: try FFT.rfft2(gray), columns: gray.columns)
        if shift { spectrum = FFT.fftshift(spectrum) }
        var interleaved = [Double]()
        interleaved.reserveCapacity(2 * spectrum.count)
        for z in spectrum.elements { interleaved.append(z.real); interleaved.append(z.imaginary) }
        return NPY.encode(NPYArray(shape: spectrum.shape, complexDoubles: interleaved))
    }
}

struct FFTCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "fft",
        abstract: "2-D DFT of the gray image: complex .npy or a viewable log-magnitude spectrum.",
        usage: "cvtool fft <input> [-o <path>] [--shift] [<options>]",
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

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.spectrum.png; .npy: complex spectrum")) var output: String?

    @Flag(help: "Centre the zero frequency (numpy.fft.fftshift) in .npy output.")
    var shift = false

    @OptionGroup var planning: FFTPlanningOptions

    var outputSuffix: String { "spectrum" }

    func validate() throws {
        if let wisdom = planning.wisdom { try CommandIO.refuseOverwritingInput(output: wisdom, inputs: [input]) }
    }

    func result(for image: AnyImage, writingTo path: String) throws -> CommandOutput {
        try planning.planning {
            let gray = try FFTCommandSupport.grayPlane(image)
            if CommandIO.isNPY(path) { return .bytes(try FFTCommandSupport.spectrumNPY(gray, shift: shift)) }
            return .image(.uint8(try Spectrum.image(of: gray)))
        }
    }
}
