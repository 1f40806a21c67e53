import XCTest
@testable import CVLearn

final class PCATests: XCTestCase {
    func testCovarianceSolverMatchesSklearnOnDigits() throws {
        let (xtr, _, _, _) = Fixtures.digitsSplit()
        let ref = Fixtures.group("pca_digits")
        let pca = try PCA(fitting: xtr)
        XCTAssertEqual(pca.solverUsed, .covarianceEigh)
        XCTAssertEqual(pca.mean, doubles(ref["mean_"]))
        let evr = doubles(ref["explained_variance_ratio_"])
        // Components with (near-)zero variance are arbitrary: compare those explaining > 1e-10 of the variance.
        let k = evr.filter { $0 > 1e-10 }.count
        XCTAssertGreaterThan(k, 55)
        let relEVR = assertClose(Array(pca.explainedVarianceRatio.prefix(k)), Array(evr.prefix(k)), rtol: 1e-6, "explained_variance_ratio_")
        assertClose(Array(pca.explainedVariance.prefix(k)), Array(doubles(ref["explained_variance_"]).prefix(k)), rtol: 1e-6, "explained_variance_")
        assertClose(Array(pca.singularValues.prefix(k)), Array(doubles(ref["singular_values_"]).prefix(k)), rtol: 1e-6, "singular_values_")
        let d = 64
        let comps = doubles(ref["components_"])
        // Components are unit vectors; "1e-6 relative" is measured against the vector norm (1).
        var worst = 0.0
        for c in 0..<k where isolated(evr, c) {
            for j in 0..<d { worst = max(worst, abs(pca.components[c * d + j] - comps[c * d + j])) }
        }
        XCTAssertLessThan(worst, 1e-6, "components (after svd_flip signs)")
        print("[fidelity] PCA digits covariance-eigh: explained_variance_ratio max abs diff \(relEVR), components max abs diff \(worst) over \(k) components")
    }

    /// True when eigenvalue c is separated from its neighbours (otherwise its axis is ill-defined).
    func isolated(_ evr: [Double], _ c: Int) -> Bool {
        let v = evr[c]
        let gapPrev = c > 0 ? abs(evr[c - 1] - v) : .infinity
        let gapNext = c + 1 < evr.count ? abs(evr[c + 1] - v) : .infinity
        return min(gapPrev, gapNext) > 1e-6 * evr[0]
    }

    func testTransformWhitenInverseMatchSklearn() throws {
        let (xtr, _, xte, _) = Fixtures.digitsSplit()
        let sub = xte.selectingRows(0..<40)
        let p20 = try PCA(fitting: xtr, parameters: .init(components: .count(20), whiten: true))
        let r20 = Fixtures.group("pca_digits_20_whiten")
        assertClose(try p20.transform(sub).storage, doubles(r20["transform"]), rtol: 1e-6, atol: 1e-8, "whitened transform")
        assertClose(try p20.inverseTransform(p20.transform(sub)).storage, doubles(r20["inverse"]), rtol: 1e-6, atol: 1e-8, "whitened inverse")
        assertClose([p20.noiseVariance], doubles(r20["noise_variance_"]), rtol: 1e-6, "noise_variance_")
        let p10 = try PCA(fitting: xtr, parameters: .init(components: .count(10)))
        let r10 = Fixtures.group("pca_digits_10")
        assertClose(try p10.transform(sub).storage, doubles(r10["transform"]), rtol: 1e-6, atol: 1e-8, "transform k=10")
        assertClose(try p10.inverseTransform(p10.transform(sub)).storage, doubles(r10["inverse"]), rtol: 1e-6, atol: 1e-8, "inverse k=10")
        let err = try p10.reconstructionError(sub)
        var ref = 0.0
        let inv = doubles(r10["inverse"])
        for i in 0..<inv.count { ref += (sub.storage[i] - inv[i]) * (sub.storage[i] - inv[i]) }
        XCTAssertEqual(err, ref / Double(inv.count), accuracy: 1e-8 * err)
    }

    func testVarianceFraction() throws {
        let (xtr, _, _, _) = Fixtures.digitsSplit()
        let r = Fixtures.group("pca_digits_frac90")
        let p = try PCA(fitting: xtr, parameters: .init(components: .varianceFraction(0.9)))
        XCTAssertEqual(p.componentCount, ints(r["n_components_"])[0])
        assertClose(p.explainedVarianceRatio, doubles(r["explained_variance_ratio_"]), rtol: 1e-6, "ratio")
        XCTAssertEqual(try PCA.Components(parsing: "0.9"), .varianceFraction(0.9))
        XCTAssertEqual(try PCA.Components(parsing: "12"), .count(12))
        XCTAssertThrowsError(try PCA.Components(parsing: "1.5"))
        XCTAssertThrowsError(try PCA.Components(parsing: "0"))
    }

    func wide() throws -> Matrix<Double> { try FeatureTable.read(path: Fixtures.path("wide.csv")).features.asDouble }

    func testFullSolverOnWideData() throws {
        let w = try wide()
        let r = Fixtures.group("pca_wide_full")
        let p = try PCA(fitting: w)
        XCTAssertEqual(p.solverUsed, .full)
        assertClose(Array(p.explainedVarianceRatio.prefix(40)), Array(doubles(r["explained_variance_ratio_"]).prefix(40)), rtol: 1e-6, "full evr")
        assertClose(Array(p.components.prefix(10 * 150)), doubles(r["components_"]), atol: 1e-6, "full components")
        let p5 = try PCA(fitting: w, parameters: .init(components: .count(5), solver: .full))
        assertClose([p5.noiseVariance], doubles(r["noise_variance_"]), rtol: 1e-6, "noise_variance_ full k=5")
    }

    func testRandomizedSolverAgreesWithSklearn() throws {
        let w = try wide()
        let r = Fixtures.group("pca_wide_randomized5")
        let p = try PCA(fitting: w, parameters: .init(components: .count(5), solver: .randomized))
        XCTAssertEqual(p.solverUsed, .randomized)
        // Different random probes: agreement is to the accuracy of the power iterations.
        let e = assertClose(p.explainedVarianceRatio, doubles(r["explained_variance_ratio_"]), rtol: 1e-6, "randomized evr")
        let c = assertClose(p.components, doubles(r["components_"]), atol: 1e-5, "randomized components")
        assertClose([p.noiseVariance], doubles(r["noise_variance_"]), rtol: 1e-6, "randomized noise variance")
        print("[fidelity] PCA randomized k=5 on 60x150: evr max abs diff \(e), components max abs diff \(c)")
        // Deterministic for a seed.
        let again = try PCA(fitting: w, parameters: .init(components: .count(5), solver: .randomized))
        XCTAssertEqual(again, p)
    }

    /// Readable reference: covariance by explicit loops, eigenvectors checked by C·v = λ·v.
    func testCovarianceSolverAgainstReadableReference() throws {
        var rng = GaussianRandom(seed: 5)
        let n = 120, d = 7
        var x = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = rng.normal() * Double(j + 1) + Double(j) } }
        let p = try PCA(fitting: x, parameters: .init(solver: .covarianceEigh))
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x[i, j] / Double(n) } }
        var cov = [Double](repeating: 0, count: d * d)
        for a in 0..<d { for b in 0..<d {
            var s = 0.0
            for i in 0..<n { s += (x[i, a] - mean[a]) * (x[i, b] - mean[b]) }
            cov[a * d + b] = s / Double(n - 1)
        } }
        for c in 0..<d {
            let v = Array(p.components[(c * d)..<((c + 1) * d)])
            for a in 0..<d {
                var cv = 0.0
                for b in 0..<d { cv += cov[a * d + b] * v[b] }
                XCTAssertEqual(cv, p.explainedVariance[c] * v[a], accuracy: 1e-9 * p.explainedVariance[0])
            }
            let big = v.indices.max { abs(v[$0]) < abs(v[$1]) }!
            XCTAssertGreaterThan(v[big], 0, "svd_flip: largest entry positive")
        }
        // Float input takes ssyrk; results agree with Double to Float precision.
        let pf = try PCA(fitting: x.converted(to: Float.self), parameters: .init(solver: .covarianceEigh))
        assertClose(pf.explainedVarianceRatio, p.explainedVarianceRatio, rtol: 1e-4, "float32 evr")
        // Full and covariance solvers agree.
        let pfull = try PCA(fitting: x, parameters: .init(solver: .full))
        assertClose(pfull.components, p.components, atol: 1e-9, "full vs covariance components")
        // A component count takes the index-range eigensolver (top k only, total variance from
        // the trace): the same leading axes, ratios and noise variance as the full spectrum.
        let k = 3
        let pk = try PCA(fitting: x, parameters: .init(components: .count(k), solver: .covarianceEigh))
        assertClose(pk.components, Array(p.components.prefix(k * d)), atol: 1e-9, "top-k components")
        assertClose(pk.explainedVariance, Array(p.explainedVariance.prefix(k)), rtol: 1e-12, "top-k variance")
        assertClose(pk.explainedVarianceRatio, Array(p.explainedVarianceRatio.prefix(k)), rtol: 1e-12, "top-k ratio")
        let noise = p.explainedVariance[k...].reduce(0, +) / Double(d - k)
        XCTAssertEqual(pk.noiseVariance, noise, accuracy: 1e-12 * noise, "top-k noise variance")
    }

    func testGramMatrixInRowBlocksEqualsOneBlock() throws {
        // Enough rows for every thread to get its own `?syrk` block.
        var rng = GaussianRandom(seed: 11)
        let n = 3 * PCA.rowsPerSyrkWorker + 17, d = 9
        var x = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = rng.normal() * Double(j + 1) + 0.5 * Double(j) } }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x[i, j] / Double(n) } }
        let saved = LinearAlgebra.threadCount
        defer { LinearAlgebra.threadCount = saved }
        LinearAlgebra.threadCount = 1
        let one = PCA.covariance(x, mean: mean)
        LinearAlgebra.threadCount = 3
        let blocks = PCA.covariance(x, mean: mean)
        let scale = one.map(abs).max()!
        for (a, b) in zip(one, blocks) { XCTAssertEqual(a, b, accuracy: 1e-12 * scale) }
        // And both equal the centered cross products summed directly.
        for (a, b) in [(0, 0), (2, 7), (8, 8)] {
            var s = 0.0
            for i in 0..<n { s += (x[i, a] - mean[a]) * (x[i, b] - mean[b]) }
            XCTAssertEqual(blocks[a * d + b], s, accuracy: 1e-10 * scale)
            XCTAssertEqual(blocks[b * d + a], s, accuracy: 1e-10 * scale)
        }
    }

    func testBadParameters() throws {
        let x = Matrix<Double>(rows: 10, columns: 4, repeating: 1)
        XCTAssertThrowsError(try PCA(fitting: x, parameters: .init(components: .count(5))))
        XCTAssertThrowsError(try PCA(fitting: x, parameters: .init(components: .varianceFraction(0.5), solver: .randomized)))
        XCTAssertThrowsError(try PCA(fitting: Matrix<Double>(rows: 1, columns: 4)))
        let p = try PCA(fitting: Matrix<Double>(rows: 10, columns: 4) { i, j in Double(i * j + j * j) })
        XCTAssertThrowsError(try p.transform(Matrix<Double>(rows: 2, columns: 3)))
    }

    func testCompressionPSNRIncreasesWithK() throws {
        let w = 48, h = 40
        var pix = [Float](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { pix[y * w + x] = Float(128 + 60 * sin(Double(x) / 5) * cos(Double(y) / 7) + Double((x * 7 + y * 13) % 11)) } }
        for layout in [PCACompression.Layout.rows, .patches(size: 8)] {
            let res = try PCACompression.compress(pixels: pix, width: w, height: h, layout: layout, componentCounts: [1, 4, 16, 30])
            XCTAssertEqual(res.map(\.components), [1, 4, 16, 30])
            for i in 1..<res.count { XCTAssertGreaterThanOrEqual(res[i].psnr, res[i - 1].psnr - 1e-9) }
            XCTAssertGreaterThan(res.last!.psnr, 60)
            XCTAssertEqual(res[0].pixels.count, w * h)
        }
        XCTAssertThrowsError(try PCACompression.compress(pixels: pix, width: w, height: h, componentCounts: [41]))
    }
}
