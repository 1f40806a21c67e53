import Foundation

/// A progress bar on stderr (`[#####.....] 120/300`), drawn only when stderr is a terminal;
/// safe to step from worker threads.
final class ProgressBar: @unchecked Sendable {
    /// Steps that make 100 %.
    let total: Int
    private var done = 0
    private var lastDrawn = -1
    private let lock = NSLock()
    private let enabled = isatty(2) != 0

    init(total: Int) { self.total = total }

    /// One step done; redraws when the bar moved by at least 0.1 %.
    func step() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        let permille = total > 0 ? done * 1000 / total : 1000
        if permille != lastDrawn {
            lastDrawn = permille
            let filled = permille * 30 / 1000
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            CommandIO.writeStandardError("\r[\(bar)] \(done)/\(total)")
        }
    }

    /// Ends the bar's line, so what follows on stderr starts on a line of its own.
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if lastDrawn >= 0 { CommandIO.writeStandardError("\n") }
        lastDrawn = -1
    }
}
