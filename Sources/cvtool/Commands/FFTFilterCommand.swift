import ArgumentParser
import ClassicCV
import Foundation

/// The filter options of `fft-filter` (reused by the `fft-filter` bench op), parsed into a
/// `FrequencyFilter`, which validates them.
struct FFTFilterOptions: ParsableArguments, SampleTypeFilter {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Low-pass cut-off S in cycles per pixel (0 < S; Nyquist = 0.5).", valueName: "S"))
    var lowpass: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("High-pass cut-off S in cycles per pixel.", valueName: "S"))
    var highpass: Double?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Band-pass cut-offs LO,HI in cycles per pixel (LO < HI).", valueName: "LO,HI"),
            transform: { try FFTFilterOptions.band($0) })
    var bandpass: (Double, Double)?

    @Option(help: ArgumentHelp("Transfer function.", valueName: "kind"))
    var kind: FrequencyFilter.Kind = .gaussian

    @Option(parsing: .unconditional, help: ArgumentHelp("Butterworth order.", valueName: "N"))
    var order: Double = 2

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Pixels of edge replication added on each side before filtering (scikit-image npad), "
                               + "at most the image's larger side.",
                               valueName: "P"))
    var padding: Int = 0

    /// The library's parameter names spelled as this command's options.
    static let optionNames = ["cutoff": "--lowpass/--highpass", "low": "--bandpass LO", "high": "--bandpass HI",
                              "bandpass": "--bandpass", "order": "--order", "padding": "--padding"]

    func validate() throws { _ = try filter() }

    /// `LO,HI`: two numbers; their range is the library's to check.
    static func band(_ s: String) throws -> (Double, Double) {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1] else {
            throw ValidationError("expected LO,HI, such as 0.02,0.1")
        }
        return (lo, hi)
    }

    /// - Throws: `ValidationError` unless exactly one of --lowpass, --highpass, --bandpass is given.
    func filter() throws -> FrequencyFilter {
        let band: FrequencyFilter.Band
        switch (lowpass, highpass, bandpass) {
        case let (c?, nil, nil): band = .lowPass(cutoff: c)
        case let (nil, c?, nil): band = .highPass(cutoff: c)
        case let (nil, nil, b?): band = .bandPass(low: b.0, high: b.1)
        default: throw ValidationError("give exactly one of --lowpass, --highpass, --bandpass")
        }
        return FrequencyFilter(band: band, kind: kind, order: order, padding: padding)
    }

    func filtered<P: PixelScalar>(_ image: Image<P>) throws -> Image<P> { try filter().apply(to: image) }

    var suffix: String { lowpass != nil ? "lowpass" : highpass != nil ? "highpass" : "bandpass" }
}

struct FFTFilterCommand: ImageCommand {
    static let configuration = CommandConfiguration(
        commandName: "fft-filter",
        abstract: "Gaussian, Butterworth or ideal low-, high- or band-pass filtering in the frequency domain.",
        usage: "cvtool fft-filter <input> --lowpass|--highpass|--bandpass <v> [<options>]",
        discussion: """
        Every channel is transformed (FFTW, double precision), multiplied by the transfer \
        function H(f) of the radial frequency f = sqrt(fx^2 + fy^2) in cycles per pixel \
        (fx = k/width, fy = l/height, as skimage.filters.butterworth), transformed back, rounded \
        and saturated to the input's depth. Gaussian: exp(-f^2/(2 S^2)); Butterworth: \
        1/(1 + (f/S)^(2N)) (skimage's squared_butterworth=True); ideal: f <= S. High-pass is \
        1 - low-pass (ideal: f > S); band-pass LO,HI is high(LO) * low(HI). The border is the \
        DFT's periodic wrap-around unless --padding replicates the edges first. A high-pass \
        removes the mean, so 8-bit output clips negative values to 0.

        Examples:
          cvtool fft-filter photo.png --lowpass 0.05             # soft blur
          cvtool fft-filter photo.png --highpass 0.1 --kind butterworth --order 4
          cvtool fft-filter photo.png --bandpass 0.02,0.15 --kind ideal --padding 16
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.lowpass.png, IN.highpass.png or IN.bandpass.png"))
    var output: String?

    @OptionGroup var options: FFTFilterOptions
    @OptionGroup var planning: FFTPlanningOptions

    var outputSuffix: String { options.suffix }
    static var optionNames: [String: String] { FFTFilterOptions.optionNames }

    func validate() throws {
        if let wisdom = planning.wisdom { try CommandIO.refuseOverwritingInput(output: wisdom, inputs: [input]) }
    }

    func result(for image: AnyImage, writingTo _: String) throws -> CommandOutput {
        .image(try planning.planning { try image.filtered(by: options) })
    }
}
