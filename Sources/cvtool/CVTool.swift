import ArgumentParser
import ClassicCV

@main
struct CVTool: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "cvtool",
        abstract: "Classical computer vision from the command line.",
        discussion: """
        Conventions shared by every subcommand: `-o, --output <path>` names the output, \
        otherwise it is written beside the input (photo.jpg -> photo.canny.png) and its path \
        is printed. `-` means standard input or output. Inputs are never overwritten, outputs are written \
        atomically, and the exit status is 0 on success, 1 on bad input or failure, 64 on a \
        usage error.
        """,
        version: version,
        subcommands: [
            InfoCommand.self,
            ConvertCommand.self,
            FFTCommand.self, FFTFilterCommand.self, PhaseCorrelateCommand.self,
            HOGCommand.self, AugmentCommand.self, JoinCommand.self,
            DetectCommand.self,
            TrainCommand.self, PredictCommand.self, EvaluateCommand.self, PCACommand.self,
            BlurCommand.self, BoxCommand.self, GuidedCommand.self, SobelCommand.self, CannyCommand.self,
            ResizeCommand.self,
            NMSCommand.self, DetectorCommand.self,
            BenchCommand.self,
        ]
    )

    static func main() {
        // Idle OpenBLAS workers would spin on the cores the image kernels use; the learning
        // commands restart them on their first threaded call (docs/performance.md).
        LinearAlgebra.stopIdleThreads()
        main(nil)
    }
}
