import ArgumentParser
import ClassicCV
import Foundation

/// Options of `dehaze` (reused by the `dehaze` bench op), parsed into `DehazeParameters`.
struct DehazeOptions: ParsableArguments {
    @Option(name: .customLong("patch"), parsing: .unconditional, help: ArgumentHelp("Dark-channel patch side (odd).", valueName: "N"))
    var patchSize: Int = 15

    @Option(parsing: .unconditional, help: ArgumentHelp("Share of the haze removed, omega in (0, 1].", valueName: "W"))
    var omega: Double = 0.95

    @Option(name: .customLong("t0"), parsing: .unconditional,
            help: ArgumentHelp("Lower bound of the transmission in the recovery, in (0, 1].", valueName: "T"))
    var minTransmission: Double = 0.1

    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter radius refining the transmission.", valueName: "R"))
    var radius: Int = 60

    @Option(parsing: .unconditional, help: ArgumentHelp("Guided-filter epsilon (intensities in [0, 1]).", valueName: "E"))
    var eps: Double = 1e-4

    static let optionNames = ["patchSize": "--patch", "omega": "--omega", "minTransmission": "--t0", "radius": "--radius",
                              "epsilon": "--eps"]

    var parameters: DehazeParameters {
        DehazeParameters(patchSize: patchSize, omega: omega, minTransmission: minTransmission, radius: radius, epsilon: eps)
    }

    /// The dehazed image and the transmission as an 8-bit picture (255 = no haze).
    func apply(_ image: AnyImage) throws -> (AnyImage, Image<UInt8>) {
        switch image {
        case .uint8(let i): let r = try i.dehazed(parameters); return (.uint8(r.image), r.transmission.converted(to: UInt8.self))
        case .uint16(let i): let r = try i.dehazed(parameters); return (.uint16(r.image), r.transmission.converted(to: UInt8.self))
        case .float32(let i): let r = try i.dehazed(parameters); return (.float32(r.image), r.transmission.converted(to: UInt8.self))
        }
    }
}

struct DehazeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dehaze",
        abstract: "Haze removal with the dark channel prior, transmission refined by the guided filter.",
        usage: "cvtool dehaze <input> [-o <path>] [--transmission <path>] [<options>]",
        discussion: """
        He, Sun & Tang: dark channel over --patch x --patch windows, atmospheric light from the \
        brightest 0.1% of it, transmission t = 1 - omega * dark(I/A) refined by the guided \
        filter (gray image as guide), J = (I - A)/max(t, t0) + A. The defaults are the \
        paper's. With --transmission the refined map is written too (8-bit, white = clear); \
        both files appear together or not at all.

        Examples:
          cvtool dehaze hazy.jpg -o clear.png
          cvtool dehaze hazy.jpg --transmission t.png --omega 0.9
        """
    )

    @Argument(help: .inputImage) var input: String
    @Option(name: [.customShort("o"), .long], help: .output("IN.dehaze.png")) var output: String?
    @Option(help: ArgumentHelp("Also write the refined transmission map here.", valueName: "path")) var transmission: String?
    @OptionGroup var options: DehazeOptions

    func run() throws {
        let out = try CommandIO.outputPath(input: input, explicit: output, suffix: "dehaze", defaultExtension: "png")
        try CommandIO.refuseOverwriting(inputs: [input], outputs: [out, transmission])
        var isDirectory: ObjCBool = false
        if let transmission, FileManager.default.fileExists(atPath: transmission, isDirectory: &isDirectory), isDirectory.boolValue {
            // Checked before the work: otherwise its missing extension is all the error would say.
            throw CVError.io(path: transmission, reason: "--transmission is a directory; name a file inside it")
        }
        let image = try CommandIO.loadImage(input).image
        let (clear, map) = try CommandIO.namingOptions(DehazeOptions.optionNames) { try options.apply(image) }
        var files: [(path: String, bytes: [UInt8])] = []
        if let transmission { files.append((transmission, try CommandIO.encodeImage(.uint8(map), for: transmission))) }
        files.append((out, try CommandIO.encodeImage(clear, for: out)))
        try CommandIO.writeTogether(files)
        for file in files { CommandIO.announce(file.path) }
    }
}
