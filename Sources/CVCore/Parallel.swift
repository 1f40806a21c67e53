import CKernels
import Foundation

/// The package's one parallel primitive: stripes of a row range, index loops and worker loops,
/// all run on one small pool of threads, with one process-wide thread-count setting.
///
/// Work is split into pieces (stripes of rows, chunks of indices, workers) that the calling
/// thread and up to `threads − 1` pool workers claim one at a time from a shared counter, so
/// a thread that starts late or is preempted does not hold the others up: it simply takes
/// fewer pieces. Pool workers spin briefly after each job (`CK_POOL_SPIN_NS`) before they
/// sleep, so back-to-back kernels do not pay for waking a thread each time (the reason the
/// pool is not Dispatch).
///
/// Guarantees, for every entry point:
/// - every piece runs exactly once, and the call returns only after all of them have
///   returned: no piece runs after the call returns;
/// - which thread runs which piece is not fixed (the calling thread always takes part);
/// - with one thread, one piece, or when the call is made while another is running — from
///   inside a piece (nested) or from another thread (concurrent) — the pieces run serially,
///   in order, on the calling thread; so nesting never deadlocks and never oversubscribes.
///
/// `Parallel.threadCount = 1` makes every kernel serial, which is how benchmarks compare 1
/// and 2 threads against OpenCV's `cv2.setNumThreads`. The anchor is OpenCV's
/// `cv::parallel_for_`, which also balances stripes dynamically and runs nested calls serially.
public enum Parallel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var configured: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Threads used by parallel kernels; defaults to the number of active processors.
    /// Values below 1 are stored as 1 (serial).
    public static var threadCount: Int {
        get { lock.lock(); defer { lock.unlock() }; return configured }
        set { lock.lock(); configured = max(1, newValue); lock.unlock() }
    }

    /// Runs `body` over `0..<rows` split into contiguous, non-empty stripes, in parallel, and
    /// rethrows the first error a stripe threw once every stripe has ended.
    ///
    /// With one thread there is one stripe, `0..<rows`. With more, there are
    /// `min(threads × stripesPerThread, rows / max(minRowsPerStripe, multiple))` stripes (at
    /// least one); stripe `s` starts at `rows·s/stripes` rounded down to a multiple of
    /// `multiple`, and the last ends at `rows`. The split depends only on the arguments, never
    /// on timing, so results that depend on stripe boundaries are reproducible. Stripes are
    /// claimed dynamically (see ``Parallel``), which balances uneven rows.
    ///
    /// - Parameters:
    ///   - rows: the range `0..<rows` to cover; nothing runs when it is 0 or less.
    ///   - minRowsPerStripe: fewest rows worth a stripe of their own. Default 8.
    ///   - multiple: stripe boundaries fall on multiples of it (the last stripe may end with a
    ///     partial one), e.g. batches of rows processed together. Default 1.
    ///   - stripesPerThread: stripes per thread: several (the default, 4) balance uneven work;
    ///     1 gives each thread one contiguous block.
    ///   - threads: threads to use, the calling thread included. Default ``threadCount``;
    ///     1 runs serially.
    ///   - body: called once per stripe with its row range; it must only write rows in it.
    /// - Throws: the first error `body` threw (the other stripes still run to their end).
    /// - Complexity: O(stripes) besides `body`; a parallel call costs a few microseconds
    ///   when the pool's workers are awake.
    @inlinable
    public static func forEachStripe<E: Error>(
        rows: Int, minRowsPerStripe: Int = 8, alignedTo multiple: Int = 1, stripesPerThread: Int = 4,
        threads: Int = threadCount, _ body: (Range<Int>) throws(E) -> Void
    ) throws(E) {
        guard rows > 0 else { return }
        let stripes = StripeLayout(rows: rows, minRowsPerStripe: minRowsPerStripe, multiple: multiple,
                                   stripesPerThread: stripesPerThread, threads: threads)
        if stripes.count == 1 {
            try body(0..<rows)
            return
        }
        var failure: E?
        runOnPool(pieces: stripes.count, threads: threads) { s in
            do throws(E) {
                try body(stripes[s])
            } catch {
                failureLock.lock(); if failure == nil { failure = error }; failureLock.unlock()
            }
        }
        if let failure { throw failure }
    }

    /// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads, handing out
    /// indices in chunks of `chunk` (for uneven work such as files).
    ///
    /// - Parameters:
    ///   - count: the indices `0..<count`; nothing runs when it is 0 or less.
    ///   - chunk: indices claimed at a time. Default 1.
    ///   - threads: threads to use, the calling thread included. Default ``threadCount``.
    ///   - body: called once per index.
    /// - Complexity: O(count / chunk) besides `body`.
    public static func forEach(count: Int, chunk: Int = 1, threads: Int = threadCount, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let chunk = max(1, chunk)
        let chunks = (count + chunk - 1) / chunk
        if threads <= 1 || chunks == 1 {
            for i in 0..<count { body(i) }
            return
        }
        runOnPool(pieces: chunks, threads: threads) { c in
            for i in (c * chunk)..<min(count, (c + 1) * chunk) { body(i) }
        }
    }

    /// Runs `body(worker)` once for every `worker` in `0..<workers`, concurrently on up to
    /// `workers` threads: for work split by worker index (worker `w` takes block `w`, or
    /// blocks `w`, `w + workers`, …), each worker with its own scratch.
    ///
    /// A worker index is a piece of work, not a thread: when fewer threads are free (nested
    /// or concurrent calls), one thread runs several workers one after another, so a worker
    /// must never wait for another.
    ///
    /// - Parameters:
    ///   - workers: how many workers; nothing runs when it is 0 or less; 1 runs serially.
    ///   - body: called once per worker index.
    /// - Complexity: O(workers) besides `body`.
    public static func forEachWorker(_ workers: Int, _ body: (_ worker: Int) -> Void) {
        guard workers > 0 else { return }
        if workers == 1 {
            body(0)
            return
        }
        runOnPool(pieces: workers, threads: workers, body)
    }

    /// Runs `workers` workers (as ``forEachWorker(_:_:)``) that share the task indices
    /// `0..<tasks`: each worker sets up its scratch, then takes tasks from the queue it is
    /// given until none are left (`while let t = queue.next()`), so every task runs once.
    ///
    /// - Parameters:
    ///   - workers: how many workers; 1 runs every task on the calling thread.
    ///   - tasks: the task indices `0..<tasks`, handed out in increasing order.
    ///   - body: called once per worker with its index and the shared ``TaskQueue``.
    /// - Complexity: O(workers + tasks) besides `body`.
    public static func forEachWorker(_ workers: Int, tasks: Int, _ body: (_ worker: Int, _ queue: TaskQueue) -> Void) {
        let queue = TaskQueue(count: tasks)
        forEachWorker(workers) { body($0, queue) }
    }

    /// Task indices `0..<count` handed out once each, in increasing order, to the workers of
    /// ``Parallel/forEachWorker(_:tasks:_:)`` (thread-safe).
    public final class TaskQueue: Sequence, IteratorProtocol, @unchecked Sendable {
        private let lock = NSLock()
        private var taken = 0
        /// How many tasks the queue hands out.
        public let count: Int

        /// A queue of the tasks `0..<count`.
        public init(count: Int) { self.count = Swift.max(0, count) }

        /// The next task not yet taken by any worker, or `nil` when all are taken.
        public func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }
    }

    /// Where the stripes of ``forEachStripe(rows:minRowsPerStripe:alignedTo:stripesPerThread:threads:_:)`` begin and end.
    @usableFromInline
    struct StripeLayout {
        @usableFromInline let rows: Int
        @usableFromInline let count: Int
        @usableFromInline let multiple: Int

        @inlinable
        init(rows: Int, minRowsPerStripe: Int, multiple: Int, stripesPerThread: Int, threads: Int) {
            self.rows = rows
            self.multiple = max(1, multiple)
            let minRows = max(1, minRowsPerStripe, multiple)
            count = threads <= 1 ? 1 : max(1, min(threads * max(1, stripesPerThread), rows / minRows))
        }

        /// Rows of stripe `s`.
        @inlinable
        subscript(s: Int) -> Range<Int> { start(s)..<start(s + 1) }

        @inlinable
        func start(_ s: Int) -> Int { s == count ? rows : rows * s / count / multiple * multiple }
    }

    /// Serializes the recording of a stripe's error (taken only when a stripe throws).
    @usableFromInline
    static let failureLock = NSLock()

    /// Runs `body(p)` for every piece `p` in `0..<pieces` on the calling thread and up to
    /// `threads − 1` workers of the C pool (`ck_pool_run`, which documents the protocol).
    @usableFromInline
    static func runOnPool(pieces: Int, threads: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                ck_pool_run(pieces, Int32(clamping: min(threads, pieces)), { context, piece in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(piece))
                }, pointer)
            }
        }
    }
}
