import Foundation

/// LIBSVM's kernel cache: up to `l` rows of Float kernel values, each possibly only a prefix
/// (the active set), evicted least-recently-used when the byte budget is exhausted.
///
/// A port of LIBSVM's `Cache` (svm.cpp): same accounting (`size` in Floats, minus the row
/// headers, at least two full rows), same eviction order, same `swapIndex` behaviour (rows
/// that straddle a swap are dropped), so the solver sees the same cache hits as LIBSVM.
final class KernelCache {
    private struct Head {
        var prev: Int32 = -1
        var next: Int32 = -1
        var data: UnsafeMutablePointer<Float>? = nil
        var len: Int32 = 0
    }

    private let l: Int
    private var size: Int
    private let heads: UnsafeMutablePointer<Head>  // l + 1 entries; index l is the LRU list head

    /// - Parameters:
    ///   - l: number of rows.
    ///   - bytes: memory budget in bytes.
    init(rows l: Int, bytes: Int) {
        self.l = l
        var s = bytes / MemoryLayout<Float>.stride
        s -= l * 32 / MemoryLayout<Float>.stride  // LIBSVM charges sizeof(head_t) per row
        size = max(s, 2 * l)
        heads = .allocate(capacity: l + 1)
        heads.initialize(repeating: Head(), count: l + 1)
        heads[l].next = Int32(l)
        heads[l].prev = Int32(l)
    }

    deinit {
        for i in 0..<l { free(heads[i].data) }
        heads.deallocate()
    }

    @inline(__always) private func lruDelete(_ h: Int) {
        let p = Int(heads[h].prev), n = Int(heads[h].next)
        heads[p].next = Int32(n)
        heads[n].prev = Int32(p)
    }

    @inline(__always) private func lruInsert(_ h: Int) {
        heads[h].next = Int32(l)
        heads[h].prev = heads[l].prev
        heads[Int(heads[h].prev)].next = Int32(h)
        heads[l].prev = Int32(h)
    }

    /// Row `index` with room for `len` values. Returns the pointer and the number of values
    /// already valid (`start`); the caller fills `start..<len`.
    @inline(__always)
    func data(_ index: Int, len: Int) -> (UnsafeMutablePointer<Float>, Int) {
        if heads[index].len > 0 { lruDelete(index) }
        var start = len
        let more = len - Int(heads[index].len)
        if more > 0 {
            while size < more {
                let old = Int(heads[l].next)
                lruDelete(old)
                free(heads[old].data)
                size += Int(heads[old].len)
                heads[old].data = nil
                heads[old].len = 0
            }
            let p = realloc(heads[index].data, MemoryLayout<Float>.stride * len)!
            heads[index].data = p.assumingMemoryBound(to: Float.self)
            size -= more
            start = Int(heads[index].len)
            heads[index].len = Int32(len)
        }
        lruInsert(index)
        return (heads[index].data!, start)
    }

    /// Exchanges rows and columns `i` and `j` (the solver swapped two samples).
    func swapIndex(_ a: Int, _ b: Int) {
        guard a != b else { return }
        if heads[a].len > 0 { lruDelete(a) }
        if heads[b].len > 0 { lruDelete(b) }
        swap(&heads[a].data, &heads[b].data)
        swap(&heads[a].len, &heads[b].len)
        if heads[a].len > 0 { lruInsert(a) }
        if heads[b].len > 0 { lruInsert(b) }
        let i = min(a, b), j = max(a, b)
        var h = Int(heads[l].next)
        while h != l {
            let next = Int(heads[h].next)
            let len = Int(heads[h].len)
            if len > i {
                if len > j {
                    let d = heads[h].data!
                    let t = d[i]; d[i] = d[j]; d[j] = t
                } else {
                    lruDelete(h)
                    free(heads[h].data)
                    size += len
                    heads[h].data = nil
                    heads[h].len = 0
                }
            }
            h = next
        }
    }
}
