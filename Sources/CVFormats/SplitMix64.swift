/// SplitMix64, the seeded 64-bit generator of Java's `SplittableRandom` and of Vigna's
/// `splitmix64.c`: a Weyl sequence (`state += 0x9E3779B97F4A7C15`) put through a 64-bit mix.
///
/// It is the one seeded generator of the package: tests draw their random images and arrays
/// from it, and CVLearn seeds its xoshiro-based Gaussian sampler with it, so a seed names the
/// same sequence everywhere and on every platform (the system generator gives neither).
///
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let x = Float.random(in: 0..<1, using: &rng)
/// ```
///
/// References: G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014, doi:10.1145/2660193.2660195.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The Weyl-sequence position; the next output mixes `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// A generator whose first output mixes `seed + 0x9E3779B97F4A7C15`.
    /// - Parameter seed: any value; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    /// - Complexity: O(1).
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
