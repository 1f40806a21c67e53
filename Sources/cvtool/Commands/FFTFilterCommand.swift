import ArgumentParser
import ClassicCV
import Foundation

/// The filter options of `fft-filter` (reused by the `fft-filter` bench op).
struct FFTFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Low-pass cut-off S in cycles per pixel (0 < S; Nyquist = 0.5).", valueName: "S"))
    var lowpass: Double?

    @Option(help: ArgumentHelp("High-pass cut-off S in cycles per pixel.", valueName: "S"))
    var highpass: Double?

    @Option(help: ArgumentHelp("Band-pass cut-offs LO,HI in cycles per pixel (LO < HI).", valueName: "LO,HI"))
    var bandpass: String?

    @Option(help: "Transfer function: gaussian, butterworth or ideal.")
    var kind: String = FrequencyFilter.Kind.gaussian.rawValue

    @Option(help: "Butterworth order.")
    var order: Double = 2

    @Option(help: "Pixels of edge replication added on each side before filtering (scikit-image npad).")
    var padding: Int = 0

    func validate() throws { _ = try filter() }

    func filter() throws -> FrequencyFilter {
        let given = [lowpass != nil, highpass != nil, bandpass != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --lowpass, --highpass, --bandpass") }
        guard let k = FrequencyFilter.Kind(rawValue: kind) else {
            throw ValidationError("--kind must be gaussian, butterworth or ideal, got '\(kind)'")
        }
        let band: FrequencyFilter.Band
        if let lowpass { band = .lowPass(cutoff: lowpass) }
        else if let highpass { band = .highPass(cutoff: highpass) }
        else {
            let parts = bandpass!.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1] else {
                throw ValidationError("--bandpass needs LO,HI, e.g. 0.02,0.1; got '\(bandpass!)'")
            }
            band = .bandPass(low: lo, high: hi)
        }
        let f = FrequencyFilter(band: band, kind: k, order: order, padding: padding)
        do { try f.validate() } catch { throw ValidationError("\(error)") }
        return f
    }

    var suffix: String { lowpass != nil ? "lowpass" : highpass != nil ? "highpass" : "bandpass" }
}

struct FFTFilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fft-filter",
        abstract: "Gaussian, Butterworth or ideal low-, high- or band-pass filtering in the frequency domain.",
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
          cvtool fft-filter photo.png --lowpass 0.05                   # soft blur
          cvtool fft-filter photo.png --highpass 0.1 --kind butterworth --order 4 -o edges.png
          cvtool fft-filter photo.png --bandpass 0.02,0.15 --kind ideal --padding 16
        """
    )

    @Argument(help: "Input image (`-` for standard input).")
    var input: String

    @Option(name: .short, help: ArgumentHelp("Output image (default: IN with suffix .lowpass/.highpass/.bandpass.png).", valueName: "OUT"))
    var output: String?

    @OptionGroup var options: FFTFilterOptions
    @OptionGroup var planning: FFTPlanningOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: options.suffix, defaultExtension: "png")
        let filter = try options.filter()
        try planning.begin()
        let image = try CommandIO.loadImage(input).image
        let result: AnyImage
        switch image {
        case .uint8(let i): result = .uint8(try filter.apply(to: i))
        case .uint16(let i): result = .uint16(try filter.apply(to: i))
        case .float32(let i): result = .float32(try filter.apply(to: i))
        }
        try CommandIO.writeImage(result, to: out)
        try planning.end()
        CommandIO.announce(out)
    }
}
