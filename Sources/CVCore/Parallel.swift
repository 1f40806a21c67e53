import CKernels
import Dispatch
import Foundation

/// Row-stripe parallelism with one process-wide thread-count setting.
///
/// Kernels split their output rows into contiguous stripes and run one stripe per thread.
/// `Parallel.threadCount = 1` makes every kernel serial, which is how benchmarks compare
/// 1 and 2 threads against OpenCV's `cv2.setNumThreads`.
public enum Parallel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var configured: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Threads used by parallel kernels; defaults to the number of active processors.
    /// Values below 1 are stored as 1.
    public static var threadCount: Int {
        get { lock.lock(); defer { lock.unlock() }; return configured }
        set { lock.lock(); configured = max(1, newValue); lock.unlock() }
    }

    /// Runs `body` over `0..<rows` split into contiguous stripes of at least `minRowsPerStripe`
    /// rows: with one thread, one stripe on the calling thread; with more, up to 4 stripes per
    /// thread, claimed dynamically by the calling thread and `threadCount − 1` pool workers
    /// (``runStripes(rows:stripes:threads:_:)``), so a thread that starts late or is preempted
    /// does not hold the others up — it simply takes fewer stripes. A call made while another
    /// is running (from inside a stripe, or from another thread) runs its stripes serially.
    /// `body` must only write rows in its own range. Returns when all stripes are done.
    @inlinable
    public static func forEachStripe(rows: Int, minRowsPerStripe: Int = 8, _ body: (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let threads = threadCount
        let stripes = threads == 1 ? 1 : max(1, min(threads * 4, rows / max(1, minRowsPerStripe)))
        if stripes == 1 {
            body(0..<rows)
            return
        }
        runStripes(rows: rows, stripes: stripes, threads: threads, body)
    }

    /// A stripe job as the worker pool sees it (through a pointer, for the C callback).
    @usableFromInline
    struct StripeJob {
        let rows: Int
        let stripes: Int
        let body: (Range<Int>) -> Void
    }

    /// Runs `stripes` stripes of `0..<rows` on the calling thread and the worker pool
    /// (`ck_pool_run`): workers spin briefly between jobs, so back-to-back kernels do not pay
    /// for waking a sleeping thread each time.
    @usableFromInline
    static func runStripes(rows: Int, stripes: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            var job = StripeJob(rows: rows, stripes: stripes, body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                ck_pool_run(stripes, Int32(threads), { context, s in
                    let job = context!.assumingMemoryBound(to: StripeJob.self)
                    let stripe = Int(s), rows = job.pointee.rows, stripes = job.pointee.stripes
                    job.pointee.body((rows * stripe / stripes)..<(rows * (stripe + 1) / stripes))
                }, pointer)
            }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count` on up to `threadCount` threads, handing out
    /// indices in chunks of `chunk` from a shared counter (for uneven work such as files).
    public static func forEach(count: Int, chunk: Int = 1, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(threadCount, (count + chunk - 1) / chunk)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = Counter()
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let start = next.take(chunk)
                    if start >= count { break }
                    for i in start..<min(count, start + chunk) { body(i) }
                }
            }
        }
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(_ n: Int) -> Int {
            lock.lock(); defer { lock.unlock() }
            let v = value
            value += n
            return v
        }
    }
}
