import CVTestSupport
import Foundation
import XCTest

/// Runs the built `cvtool` binary and captures its exit status and output.
struct CLI {
    static let binary: URL = {
        // The test bundle sits beside the products in .build/<config>/.
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cvtool")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        for b in Bundle.allBundles {
            let candidate = b.bundleURL.deletingLastPathComponent().appendingPathComponent("cvtool")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: ".build/debug/cvtool")
    }()

    static let fixtures = FixturePaths.root

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    /// Runs `cvtool args`, feeding `stdin`; standard output goes to `stdoutFile` when given
    /// (e.g. `/dev/full`), else it is captured. A run still going after `timeout` seconds is
    /// killed (and then reports the signal's status), so a hang fails the test instead of
    /// stalling the suite.
    @discardableResult
    static func run(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    stdoutFile: String? = nil, timeout: TimeInterval = 300) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        let outFile = try stdoutFile.map { path -> FileHandle in
            guard let h = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
            return h
        }
        p.standardOutput = outFile ?? out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = inPipe
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try inPipe.fileHandleForWriting.close()
        if outFile != nil { try out.fileHandleForWriting.close() }
        let o = outFile == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try outFile?.close()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), stdoutData: o)
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("cvtool-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}
