import CVCore
import CVFeatures
import CVTransform

/// A hit of one scan of one image (OpenCV's `HOGDescriptor.detect`): the window's top-left
/// corner in that image's pixels (negative inside the padding) and its score.
public struct HOGWindowHit: Sendable, Hashable {
    /// Window corner, level pixels.
    public var x: Int
    /// Window corner, level pixels.
    public var y: Int
    /// `weights · descriptor + bias`.
    public var score: Double
    /// A hit at `(x, y)`.
    public init(x: Int, y: Int, score: Double) { self.x = x; self.y = y; self.score = score }
}

/// A hit of the pyramid scan before grouping: its box in the input image's pixels (not
/// clipped), the level it came from and that level's scale (input size / level size).
public struct HOGRawHit: Sendable, Hashable {
    /// The window's box in input pixels, with its score.
    public var detection: Detection
    /// Pyramid level (0 = the input's size).
    public var level: Int
    /// The level's scale, `parameters.scale^level`.
    public var scale: Double
    /// A hit from its parts.
    public init(detection: Detection, level: Int, scale: Double) {
        self.detection = detection; self.level = level; self.scale = scale
    }
}

/// Multi-scale sliding-window detection with a linear model over HOG features (Dalal & Triggs),
/// reproducing `cv2.HOGDescriptor.detectMultiScale`.
///
/// ```swift
/// let detector = try HOGDetector(model: .people)
/// let people = try detector.detect(in: image)     // [Detection], boxes in image pixels
/// ```
///
/// Recipe (``detect(in:)``): 1. the pyramid: level `k` has scale `scale^k` and size
/// `cvRound(W / s) × cvRound(H / s)`, levels while they hold the window, at most
/// ``HOGDetectorParameters/maxLevels`` (``pyramidScales(width:height:)``); 2. each level resized with OpenCV's
/// `INTER_LINEAR_EXACT`, padded by reflection and turned into its grid of normalised HOG
/// blocks **once**; 3. every window scored from the grid as the bias plus its blocks' dot
/// products with the weights (``HOGDetectorModel``) — no window descriptor is written;
/// windows with `score >= hitThreshold` are hits, their boxes `cvRound(corner · s)` with
/// size `cvRound(window · s)`; 4. grouping (``HOGGrouping``) and clipping to the image.
/// Levels run in parallel on `Parallel.threadCount` threads (a single level splits its rows).
/// A window stride finer than the block stride (OpenCV accepts any) places windows between
/// the blocks of one grid: the level then gets one grid per offset on the grid of
/// `gcd(winStride, blockStride)` (OpenCV's block cache), four for 4×4 with 8-pixel blocks.
///
/// Conventions (OpenCV's, see `modules/objdetect/src/hog.cpp`): padding rounded up to a
/// multiple of `gcd(winStride, blockStride)`; the padded area and the image border's
/// gradients read `BORDER_REFLECT_101` reflections; gamma correction is a square root;
/// colour images use, per pixel, the channel with the strongest gradient (OpenCV's tie rule);
/// alpha is ignored. One difference: a level whose padded size is smaller than the window is
/// skipped, where OpenCV still scores one window reaching past its gradient image.
///
/// - Complexity: O(pyramid pixels) for the blocks (about `1/(1 − 1/scale²)` ≈ 10.8 times the
///   padded image at scale 1.05) plus O(windows · descriptor length) multiply–adds to score.
///
/// Fidelity: against OpenCV 5.0's `detectMultiScale` with the people detector (see
/// `docs/fidelity.md`): identical boxes, scores within 1e-4.
///
/// References: N. Dalal and B. Triggs, "Histograms of Oriented Gradients for Human Detection",
/// CVPR 2005, doi:10.1109/CVPR.2005.177; N. Dalal, "Finding People in Images and Videos",
/// PhD thesis, INRIA 2006 (mean-shift fusion, §5.1).
public struct HOGDetector: Sendable {
    /// The model scored at every window.
    public let model: HOGDetectorModel
    /// The validated options.
    public let parameters: HOGDetectorParameters
    let hog: HOG
    let scorer: WindowScorer
    /// The padding after rounding (pixels each side).
    let padding: HOGSize

    /// - Parameters:
    ///   - model: default ``HOGDetectorModel/people``.
    ///   - parameters: default `HOGDetectorParameters()` (OpenCV's people sample).
    /// - Throws: `CVError.invalidParameter` for a bad model or option.
    public init(model: HOGDetectorModel = .people, parameters: HOGDetectorParameters = HOGDetectorParameters()) throws {
        try model.validate()
        try parameters.validate(for: model)
        self.model = model
        self.parameters = parameters
        self.hog = try HOG(model.hogParameters)
        self.scorer = WindowScorer(model: model)
        let bs = model.hog.blockStride
        func aligned(_ pad: Int, _ stride: Int) -> Int {
            let a = windowLatticeGCD(stride, bs)
            return (pad + a - 1) / a * a
        }
        padding = HOGSize(aligned(parameters.padding.width, parameters.winStride.width),
                          aligned(parameters.padding.height, parameters.winStride.height))
    }

    /// Detections in `image`: the pyramid scan, grouped and clipped to the image.
    /// - Parameter image: 1 (gray) or 3 (RGB) channels; a 4th (alpha) or 2nd (gray + alpha)
    ///   channel is dropped.
    /// - Returns: boxes in `image`'s pixels with scores (for `.rectangles`, the best SVM score
    ///   of the cluster; for `.meanShift`, the mode's density), in no particular order.
    /// - Throws: `CVError.invalidParameter` for an empty image.
    public func detect(in image: Image<UInt8>) throws -> [Detection] {
        group(try regressed(rawHits(in: image), in: image), imageWidth: image.width, imageHeight: image.height)
    }

    /// Step 4 on its own: groups raw hits (from ``rawHits(in:)``) with `grouping` (default the
    /// parameters') and clips them to a `imageWidth × imageHeight` image, so one scan can be
    /// grouped several ways. Hit boxes are rounded to whole pixels first.
    public func group(_ hits: [HOGRawHit], imageWidth: Int, imageHeight: Int, grouping: HOGGrouping? = nil) -> [Detection] {
        let rects = hits.map {
            ScoredRect(x: cvRound($0.detection.x), y: cvRound($0.detection.y), width: cvRound($0.detection.width),
                       height: cvRound($0.detection.height), score: $0.detection.score)
        }
        let grouped: [ScoredRect]
        switch grouping ?? parameters.grouping {
        case .none: grouped = rects
        case .rectangles: grouped = groupRectangles(rects, groupThreshold: parameters.groupThreshold)
        case .meanShift:
            grouped = meanShiftGroup(rects, scales: hits.map(\.scale), window: (model.window.width, model.window.height),
                                     threshold: Double(parameters.groupThreshold))
        case .nms(let iou):
            // The detector's hits are whole-pixel boxes with finite scores and `iou` was
            // validated with the parameters: the NMS engine's own checks have nothing to refuse.
            let kept = validatedSuppression(rects.map(\.detection), parameters: .torchvision(iouThreshold: iou))
            grouped = kept.map { rects[$0] }
        }
        return clipToImage(grouped, width: imageWidth, height: imageHeight).map(\.detection)
    }

    /// Every hit of the pyramid scan before grouping (boxes not clipped), level by level —
    /// what hard-negative mining collects.
    /// - Throws: `CVError.invalidParameter` for an empty image.
    public func rawHits(in image: Image<UInt8>) throws -> [HOGRawHit] {
        try scanPyramid(image).map { HOGRawHit(detection: $0.rect.detection, level: $0.level, scale: $0.scale) }
    }

    /// One scan of `image` at its own size (OpenCV's `HOGDescriptor.detect(img, hitThreshold,
    /// winStride, padding)`): the hits in row-major window order.
    /// - Throws: `CVError.invalidParameter` for an empty image.
    public func windowHits(in image: Image<UInt8>) throws -> [HOGWindowHit] {
        scanLevel(try prepared(image))
    }

    /// The scales of the pyramid levels of a `width × height` image (level 0 is 1).
    ///
    /// OpenCV's rule, quirk included: scales `scale^k` are listed while `cvRound(W / s)` and
    /// `cvRound(H / s)` still hold the window, and the loop's counter, not the list, sets the
    /// count, so the last listed scale (the first too small) is dropped — unless the loop ran
    /// to ``HOGDetectorParameters/maxLevels``. At least one level.
    public func pyramidScales(width: Int, height: Int) -> [Double] {
        var scales: [Double] = []
        var s = 1.0, levels = 0
        while levels < parameters.maxLevels {
            scales.append(s)
            if cvRound(Double(width) / s) < model.window.width || cvRound(Double(height) / s) < model.window.height
                || parameters.scale <= 1 { break }
            s *= parameters.scale
            levels += 1
        }
        return Array(scales.prefix(max(levels, 1)))
    }

    // MARK: - Steps

    /// The image as the scan reads it: 1 or 3 channels, not empty.
    private func prepared(_ image: Image<UInt8>) throws -> Image<UInt8> {
        guard image.width >= 1, image.height >= 1 else {
            throw CVError.invalidParameter(name: "image", reason: "the image is empty (\(image.width)x\(image.height))")
        }
        return image.channels == 2 || image.channels == 4 ? image.droppingAlpha() : image
    }

    /// Steps 1–3 over all levels, levels in parallel; hits level by level.
    private func scanPyramid(_ input: Image<UInt8>) throws -> [(rect: ScoredRect, level: Int, scale: Double)] {
        let image = try prepared(input)
        let scales = pyramidScales(width: image.width, height: image.height)
        let perLevel = UnsafeMutablePointer<[HOGWindowHit]>.allocate(capacity: scales.count)
        perLevel.initialize(repeating: [], count: scales.count)
        defer { perLevel.deinitialize(count: scales.count); perLevel.deallocate() }
        Parallel.forEach(count: scales.count) { k in
            perLevel[k] = scanLevel(level(image, scale: scales[k]))
        }
        let win = model.window
        var out: [(ScoredRect, Int, Double)] = []
        for (k, s) in scales.enumerated() {
            let w = cvRound(Double(win.width) * s), h = cvRound(Double(win.height) * s)
            for hit in perLevel[k] {
                out.append((ScoredRect(x: cvRound(Double(hit.x) * s), y: cvRound(Double(hit.y) * s), width: w, height: h,
                                       score: hit.score), k, s))
            }
        }
        return out
    }

    /// Step 2a: the level image, `cvRound(W / s) × cvRound(H / s)` by `INTER_LINEAR_EXACT`.
    private func level(_ image: Image<UInt8>, scale s: Double) -> Image<UInt8> {
        let w = cvRound(Double(image.width) / s), h = cvRound(Double(image.height) / s)
        if w == image.width && h == image.height { return image }
        return resizeLinearExact(image, width: max(w, 1), height: max(h, 1))
    }

    /// Steps 2b–3 for one level: for each block-grid offset, its grid, then its windows.
    ///
    /// A window stride that is a multiple of the block stride reads one grid. A finer one
    /// (OpenCV's block cache on the grid of `gcd(winStride, blockStride)`) places windows at
    /// several offsets within the block stride: each offset has its own grid (``WindowLattice``)
    /// and its own windows. Grids are built and dropped one at a time, so a 1×1 stride holds one
    /// grid of the level, not 64 (OpenCV holds them all). Hits come back in row-major window order.
    private func scanLevel(_ level: Image<UInt8>) -> [HOGWindowHit] {
        let win = model.window, stride = parameters.winStride
        let paddedW = level.width + 2 * padding.width, paddedH = level.height + 2 * padding.height
        guard paddedW >= win.width, paddedH >= win.height else { return [] }
        let windowsX = (paddedW - win.width) / stride.width + 1, windowsY = (paddedH - win.height) / stride.height + 1
        let lattice = WindowLattice(stride: stride, blockStride: model.hog.blockStride, windowsX: windowsX, windowsY: windowsY)
        var hits: [HOGWindowHit] = []
        for (index, origin) in lattice.usedOffsets {
            guard let blocks = try? levelBlocks(level, origin: origin, lattice: lattice) else { return [] }
            hits += scanOffset(index, blocks: blocks, lattice: lattice, windowsX: windowsX, windowsY: windowsY)
        }
        if lattice.offsetCount > 1 { hits.sort { ($0.y, $0.x) < ($1.y, $1.x) } }
        return hits
    }

    /// Step 2b at one grid offset. Windows one block apart read value-major rows (one load per
    /// value for 16 windows); where they are scored by block slot (not OpenCV's order anyway),
    /// the rows are normalised in that form as they are made, else the grid is transposed.
    private func levelBlocks(_ level: Image<UInt8>, origin: HOGSize, lattice: WindowLattice) throws
        -> (grid: HOGBlockGrid, planes: HOGBlockPlanes?) {
        if lattice.blockStepX == 1 && scorer.prefersSlots,
           let rows = try hog.paddedBlockPlanes(level, padding: padding, origin: origin, parallel: true) {
            return (rows, HOGBlockPlanes(valueMajor: rows))
        }
        let grid = try hog.paddedBlockGrid(level, padding: padding, origin: origin, parallel: true)
        return (grid, lattice.blockStepX == 1 && scorer.prefersPlanes ? HOGBlockPlanes(grid) : nil)
    }

    /// Step 3 for the windows of one grid offset: window rows `ry, ry + periodY, …` in parallel,
    /// each row's windows `rx, rx + periodX, …` scored as one run from `blocks`.
    private func scanOffset(_ index: Int, blocks: (grid: HOGBlockGrid, planes: HOGBlockPlanes?), lattice: WindowLattice,
                            windowsX: Int, windowsY: Int) -> [HOGWindowHit] {
        let (grid, planes) = blocks
        let rx = index % lattice.periodX, ry = index / lattice.periodX
        let rowCount = (windowsY - ry + lattice.periodY - 1) / lattice.periodY
        let count = (windowsX - rx + lattice.periodX - 1) / lattice.periodX
        let stride = parameters.winStride, pad = padding, L = scorer.blockLength
        var rows = [[HOGWindowHit]](repeating: [], count: rowCount)
        rows.withUnsafeMutableBufferPointer { rowsOut in
            Parallel.forEachStripe(rows: rowCount, minRowsPerStripe: 4) { stripe in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { scores in
                    for row in stripe {
                        let wy = ry + row * lattice.periodY
                        let (_, bx0, by0) = lattice.firstBlock(wx: rx, wy: wy)
                        if let planes {
                            scorer.scoresBySlot(planes, row: by0, column: bx0, count: count, into: scores.baseAddress!)
                        } else {
                            grid.values.withUnsafeBufferPointer { g in
                                scorer.scores(first: g.baseAddress! + (by0 * grid.blocksX + bx0) * L, gridBlocksX: grid.blocksX,
                                              step: lattice.blockStepX, count: count, into: scores.baseAddress!)
                            }
                        }
                        var hits: [HOGWindowHit] = []
                        for k in 0..<count where scores[k] >= parameters.hitThreshold {
                            let wx = rx + k * lattice.periodX
                            hits.append(HOGWindowHit(x: wx * stride.width - pad.width, y: wy * stride.height - pad.height,
                                                     score: scores[k]))
                        }
                        rowsOut[row] = hits
                    }
                }
            }
        }
        return rows.flatMap { $0 }
    }
}

/// Where the windows of a level scan sit on block grids. Window `(wx, wy)` has its corner at
/// `(wx · strideX, wy · strideY)` of the padded level; with block stride `b`, that is block
/// `(⌊wx·strideX / b⌋, ⌊wy·strideY / b⌋)` of the grid whose origin is the remainder
/// `(wx·strideX mod b, wy·strideY mod b)`. Remainders are multiples of `g = gcd(stride, b)`,
/// so there are `b / g` offsets per axis, and windows `b / g` apart (the period) share one.
struct WindowLattice {
    let strideX: Int, strideY: Int, blockStride: Int
    /// Windows per period along x and y.
    let periodX: Int, periodY: Int
    /// Blocks between two windows one period apart along x.
    let blockStepX: Int
    /// Offsets used: grid index and origin in pixels.
    let usedOffsets: [(index: Int, origin: HOGSize)]
    /// Number of grid indices (`periodX · periodY`).
    var offsetCount: Int { periodX * periodY }

    init(stride: HOGSize, blockStride b: Int, windowsX: Int, windowsY: Int) {
        strideX = stride.width; strideY = stride.height; blockStride = b
        periodX = b / windowLatticeGCD(stride.width, b); periodY = b / windowLatticeGCD(stride.height, b)
        blockStepX = stride.width * periodX / b
        var used: [(Int, HOGSize)] = []
        for ry in 0..<min(periodY, windowsY) {
            for rx in 0..<min(periodX, windowsX) {
                used.append((ry * periodX + rx, HOGSize(rx * stride.width % b, ry * stride.height % b)))
            }
        }
        usedOffsets = used
    }

    /// Window `(wx, wy)`'s grid index and top-left block in that grid.
    func firstBlock(wx: Int, wy: Int) -> (index: Int, bx: Int, by: Int) {
        let px = wx * strideX, py = wy * strideY
        return ((wy % periodY) * periodX + wx % periodX, px / blockStride, py / blockStride)
    }
}

func windowLatticeGCD(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
