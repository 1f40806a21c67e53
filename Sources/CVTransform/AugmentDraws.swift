import CVFormats

// The random draws of the augmentations, from the package's one seeded generator. Each draw
// uses a fixed number of 64-bit outputs, so a seed names the same views on every platform
// (the standard library's `random(in:using:)` algorithms are not promised to stay the same).

extension SplitMix64 {
    /// A Double uniform in [0, 1): the top 53 bits of one output, times 2⁻⁵³.
    @inlinable
    package mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A Double uniform in [a, b): `a + (b − a)·u` with one ``unitDouble()``, as
    /// `torch.Tensor.uniform_(a, b)` maps its draw.
    @inlinable
    package mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * unitDouble()
    }

    /// An integer uniform in 0..<n (n ≥ 1): the high word of one output times n
    /// (Lemire's multiply-shift without the rejection step; its bias is below n/2⁶⁴).
    @inlinable
    package mutating func below(_ n: Int) -> Int {
        precondition(n >= 1, "below(n) needs n ≥ 1")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability p: one ``unitDouble()`` below p (p = 0 never, p = 1 always).
    @inlinable
    package mutating func chance(_ p: Double) -> Bool {
        unitDouble() < p
    }
}
