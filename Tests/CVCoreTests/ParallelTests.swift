import CKernels
import CVCore
import Foundation
import XCTest
#if canImport(Synchronization)
import Synchronization
#endif

/// `Parallel` and the worker pool under it: the stripe split, the throwing and worker-indexed
/// variants, and a stress test of the pool's protocol (run it under ThreadSanitizer too, see
/// docs/performance.md).
final class ParallelTests: XCTestCase {
    /// The ranges `forEachStripe` hands out, in order of their start.
    private func stripes(rows: Int, minRowsPerStripe: Int = 1, alignedTo multiple: Int = 1, stripesPerThread: Int = 4,
                         threads: Int) -> [Range<Int>] {
        let lock = NSLock()
        var ranges: [Range<Int>] = []
        Parallel.forEachStripe(rows: rows, minRowsPerStripe: minRowsPerStripe, alignedTo: multiple,
                               stripesPerThread: stripesPerThread, threads: threads) { r in
            lock.lock(); ranges.append(r); lock.unlock()
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// The filters' split (up to 4 stripes per thread of at least `minRows` rows) is the one
    /// their balanced stripes used before.
    func testBalancedStripesKeepTheirSplit() {
        for threads in 1...4 {
            for minRows in [1, 7, 16, 32] {
                for rows in 1...200 {
                    let count = threads == 1 ? 1 : max(1, min(threads * 4, rows / minRows))
                    let expected = (0..<count).map { (rows * $0 / count)..<(rows * ($0 + 1) / count) }
                    XCTAssertEqual(stripes(rows: rows, minRowsPerStripe: minRows, threads: threads), expected,
                                   "rows \(rows), min \(minRows), \(threads) threads")
                }
            }
        }
    }

    /// Stripes aligned to a multiple, one per thread, are the FFT's row-pair stripes: every
    /// boundary but the end on a multiple, split as before.
    func testAlignedStripesKeepTheFFTSplit() {
        for threads in 1...4 {
            for multiple in [1, 4] {
                for rows in 1...70 {
                    let count = max(1, min(threads, rows / multiple))
                    let bounds = (0...count).map { $0 == count ? rows : (rows * $0 / count) / multiple * multiple }
                    let expected = (0..<count).map { bounds[$0]..<bounds[$0 + 1] }
                    XCTAssertEqual(stripes(rows: rows, alignedTo: multiple, stripesPerThread: 1, threads: threads), expected,
                                   "rows \(rows), multiple \(multiple), \(threads) threads")
                }
            }
        }
    }

    func testOneThreadRunsOneStripeOnTheCallingThread() {
        let caller = pthread_self()
        var calls = 0
        Parallel.forEachStripe(rows: 500, minRowsPerStripe: 1, threads: 1) { r in
            XCTAssertEqual(r, 0..<500)
            XCTAssertNotEqual(pthread_equal(pthread_self(), caller), 0)
            calls += 1
        }
        XCTAssertEqual(calls, 1)
    }

    private struct StripeFailure: Error { let start: Int }

    /// The throwing variant rethrows a stripe's error only after every stripe has ended.
    func testThrowingStripesRethrowAfterAllStripesEnd() {
        for threads in [1, 2, 3] {
            let lock = NSLock()
            var covered = 0
            XCTAssertThrowsError(try Parallel.forEachStripe(rows: 120, minRowsPerStripe: 1, threads: threads) { r in
                lock.lock(); covered += r.count; lock.unlock()
                if r.upperBound > 60 { throw StripeFailure(start: r.lowerBound) }
            }) { error in
                XCTAssertTrue(error is StripeFailure, "\(threads) threads")
            }
            XCTAssertEqual(covered, 120, "\(threads) threads")
            XCTAssertNoThrow(try Parallel.forEachStripe(rows: 120, threads: threads) { (_: Range<Int>) throws in })
        }
    }

    func testIndexLoopRunsEveryIndexOnce() {
        for threads in [1, 2, 3] {
            for chunk in [1, 7, 2000] {
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
                defer { counts.deallocate() }
                counts.initialize(repeating: 0)
                Parallel.forEach(count: 1000, chunk: chunk, threads: threads) { counts[$0] += 1 }
                XCTAssertTrue(counts.allSatisfy { $0 == 1 }, "chunk \(chunk), \(threads) threads")
            }
        }
    }

    /// Every worker index runs once; every task of the shared queue runs once.
    func testWorkersAndTheirTaskQueue() {
        for workers in [0, 1, 2, 3, 5] {
            let lock = NSLock()
            var seen = [Int](repeating: 0, count: workers)
            Parallel.forEachWorker(workers) { w in lock.lock(); seen[w] += 1; lock.unlock() }
            XCTAssertEqual(seen, [Int](repeating: 1, count: workers))

            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
            defer { counts.deallocate() }
            counts.initialize(repeating: 0)
            Parallel.forEachWorker(workers, tasks: 1000) { _, queue in
                for t in queue { counts[t] += 1 }
            }
            XCTAssertTrue(counts.allSatisfy { $0 == (workers > 0 ? 1 : 0) }, "\(workers) workers")
        }
    }

    /// A call from inside a stripe runs serially, on the thread of that stripe, and completes.
    func testNestedCallsRunSeriallyOnTheirThread() {
        let lock = NSLock()
        var inner = 0, foreign = 0
        for _ in 0..<200 {
            Parallel.forEachStripe(rows: 64, minRowsPerStripe: 1, threads: 3) { outer in
                let thread = pthread_self()
                var rows = 0, elsewhere = 0
                Parallel.forEachStripe(rows: 40, minRowsPerStripe: 1, threads: 3) { r in
                    rows += r.count
                    if pthread_equal(pthread_self(), thread) == 0 { elsewhere += 1 }
                }
                Parallel.forEachWorker(3, tasks: 10) { _, queue in
                    for _ in queue { rows += 1 }
                }
                lock.lock(); inner += rows * outer.count; foreign += elsewhere; lock.unlock()
            }
        }
        XCTAssertEqual(inner, 200 * 64 * 50)
        XCTAssertEqual(foreign, 0)
    }

    /// Calls from several threads at once: one gets the pool, the others run serially; every
    /// row of every call runs once.
    func testConcurrentCallersFromSeveralThreads() {
        let lock = NSLock()
        var failures = 0
        DispatchQueue.concurrentPerform(iterations: 3) { caller in
            var bad = 0
            for job in 0..<400 {
                let rows = 1 + (job * 7 + caller) % 300
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows)
                counts.initialize(repeating: 0)
                Parallel.forEachStripe(rows: rows, minRowsPerStripe: 1, threads: 2 + caller % 2) { r in
                    for y in r { counts[y] += 1 }
                }
                if !counts.allSatisfy({ $0 == 1 }) { bad += 1 }
                counts.deallocate()
            }
            lock.lock(); failures += bad; lock.unlock()
        }
        XCTAssertEqual(failures, 0)
    }

    #if canImport(Synchronization)
    /// What the stripes of one job observe, in atomics (no locks, which would add
    /// synchronization that could hide a race from ThreadSanitizer).
    @available(macOS 15.0, *)
    private final class JobProbe: Sendable {
        let active = Atomic<Int>(-1)     // the job whose call has not returned
        let starts = Atomic<UInt64>(0)   // bit r for a stripe starting at row r
        let rows = Atomic<Int>(0)        // rows run in the current job
        let twice = Atomic<Int>(0)       // stripes run a second time
        let late = Atomic<Int>(0)        // stripes of a job that had returned
    }

    /// Many back-to-back jobs on 2 and 3 threads: each stripe runs exactly once per job, all
    /// before the call returns, none after (the pool's generations advance without a stale
    /// worker claiming a stripe of the wrong job).
    func testStressBackToBackJobsRunEachStripeOnce() throws {
        guard #available(macOS 15.0, *) else { throw XCTSkip("needs Synchronization") }
        let probe = JobProbe()
        var jobs = 0, unfinished = 0
        for threads in [2, 3] {
            let deadline = Date().addingTimeInterval(0.5)
            var job = 0
            while job < 1_000_000, job % 1024 != 0 || Date() < deadline {
                let rows = 2 + job % 5, id = jobs
                probe.starts.store(0, ordering: .sequentiallyConsistent)
                probe.rows.store(0, ordering: .sequentiallyConsistent)
                probe.active.store(id, ordering: .sequentiallyConsistent)
                Parallel.forEachStripe(rows: rows, minRowsPerStripe: 1, threads: threads) { r in
                    if probe.active.load(ordering: .sequentiallyConsistent) != id {
                        probe.late.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    }
                    let bit = UInt64(1) << UInt64(r.lowerBound)
                    if probe.starts.bitwiseOr(bit, ordering: .sequentiallyConsistent).oldValue & bit != 0 {
                        probe.twice.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    }
                    probe.rows.wrappingAdd(r.count, ordering: .sequentiallyConsistent)
                }
                probe.active.store(-1, ordering: .sequentiallyConsistent)
                if probe.rows.load(ordering: .sequentiallyConsistent) != rows { unfinished += 1 }
                job += 1
                jobs += 1
            }
        }
        XCTAssertEqual(probe.twice.load(ordering: .sequentiallyConsistent), 0, "stripes run twice in \(jobs) jobs")
        XCTAssertEqual(unfinished, 0, "jobs with stripes not run at return, of \(jobs)")
        XCTAssertEqual(probe.late.load(ordering: .sequentiallyConsistent), 0, "stripes run after return in \(jobs) jobs")
        XCTAssertGreaterThanOrEqual(jobs, 2048)
    }
    /// The pool itself (`ck_pool_run`, without the Swift layer between calls, so jobs follow
    /// each other as closely as kernels can): 2–6 stripes per job on 2 and 3 threads. Jobs
    /// alternate between two probes, so a stripe that runs after its call returned finds its
    /// probe closed.
    func testStressPoolRunsEachStripeOnceBeforeReturning() throws {
        guard #available(macOS 15.0, *) else { throw XCTSkip("needs Synchronization") }
        let probes = [JobProbe(), JobProbe()]
        var jobs = 0, unfinished = 0
        for threads: Int32 in [2, 3] {
            let deadline = Date().addingTimeInterval(0.75)
            var job = 0
            while job < 4_000_000, job % 4096 != 0 || Date() < deadline {
                let probe = probes[job & 1], stripes = 2 + job % 5
                probe.starts.store(0, ordering: .sequentiallyConsistent)
                probe.rows.store(0, ordering: .sequentiallyConsistent)
                probe.active.store(1, ordering: .sequentiallyConsistent)
                ck_pool_run(stripes, threads, { context, s in
                    let probe = Unmanaged<JobProbe>.fromOpaque(context!).takeUnretainedValue()
                    if probe.active.load(ordering: .sequentiallyConsistent) != 1 {
                        probe.late.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    }
                    let bit = UInt64(1) << UInt64(s)
                    if probe.starts.bitwiseOr(bit, ordering: .sequentiallyConsistent).oldValue & bit != 0 {
                        probe.twice.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    }
                    probe.rows.wrappingAdd(1, ordering: .sequentiallyConsistent)
                }, Unmanaged.passUnretained(probe).toOpaque())
                probe.active.store(-1, ordering: .sequentiallyConsistent)
                if probe.rows.load(ordering: .sequentiallyConsistent) != stripes { unfinished += 1 }
                job += 1
                jobs += 1
            }
        }
        let twice = probes.map { $0.twice.load(ordering: .sequentiallyConsistent) }.reduce(0, +)
        let late = probes.map { $0.late.load(ordering: .sequentiallyConsistent) }.reduce(0, +)
        XCTAssertEqual(twice, 0, "stripes run twice in \(jobs) jobs")
        XCTAssertEqual(unfinished, 0, "jobs with stripes not run at return (or run in another job), of \(jobs)")
        XCTAssertEqual(late, 0, "stripes run after return in \(jobs) jobs")
        XCTAssertGreaterThanOrEqual(jobs, 8192)
    }
    #endif
}
