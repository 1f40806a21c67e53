// swift-tools-version:6.0
import PackageDescription

// Layering (see ARCHITECTURE.md): C shims -> CVCore -> CVFormats -> CVIO / algorithms / CVLearn
// -> ClassicCV umbrella -> cvtool.
let package = Package(
    name: "ClassicCV",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ClassicCV", targets: ["ClassicCV"]),
        .executable(name: "cvtool", targets: ["cvtool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (Tools/docs.sh); not linked into any target.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // The only code that touches libpng, libjpeg and zlib. Every setjmp/longjmp stays in C.
        .target(
            name: "CCodecs",
            linkerSettings: [
                .linkedLibrary("png16"),
                .linkedLibrary("jpeg"),
                .linkedLibrary("z"),
            ]
        ),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3"),
        // OpenBLAS (CBLAS) + LAPACKE; the learning module never touches images.
        .systemLibrary(name: "CLAPACK", pkgConfig: "openblas"),
        // Vectorised C loops with run-time CPU dispatch, for the few kernels Swift's SIMD cannot express.
        .target(name: "CKernels"),
        .target(name: "CVCore", dependencies: ["CKernels"]),
        // Array and table formats with no image types (NPY, IDX, CSV/LIBSVM, the seeded RNG),
        // shared by image I/O and learning.
        .target(name: "CVFormats", dependencies: ["CVCore", "CCodecs"]),
        .target(name: "CVIO", dependencies: ["CVCore", "CVFormats", "CCodecs"]),
        .target(name: "CVFilters", dependencies: ["CVCore", "CKernels"]),
        .target(name: "CVTransform", dependencies: ["CVCore", "CVFormats", "CKernels", "CFFTW"]),
        .target(name: "CVFeatures", dependencies: ["CVCore", "CKernels"]),
        // Learning never touches images: it uses CVCore only for CVError and the parallel primitive.
        .target(name: "CVLearn", dependencies: ["CVCore", "CVFormats", "CLAPACK"]),
        // Finding objects: the sliding-window HOG detector, non-maximum suppression, evaluation.
        .target(name: "CVDetect", dependencies: ["CVCore", "CKernels", "CVFormats", "CVFeatures", "CVTransform", "CVLearn"]),
        .target(name: "ClassicCV", dependencies: ["CVCore", "CVFormats", "CVIO", "CVFilters", "CVTransform", "CVFeatures", "CVLearn", "CVDetect"]),
        .executableTarget(
            name: "cvtool",
            dependencies: [
                "ClassicCV",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the tests share: fixture paths, seeded random inputs, the slow readable reference
        // implementations the fast kernels are checked against. Never shipped in a product.
        .target(
            name: "CVTestSupport",
            dependencies: ["CVCore", "CVFormats", "CVIO", "CVFilters", "CVTransform", "CVFeatures", "CVLearn", "CVDetect"],
            path: "Tests/CVTestSupport"
        ),
        .testTarget(name: "CVCoreTests", dependencies: ["CVCore", "CVTestSupport"]),
        .testTarget(name: "CVFormatsTests", dependencies: ["CVFormats", "CVTestSupport"]),
        .testTarget(name: "CVIOTests", dependencies: ["CVIO", "CVCore", "CVTestSupport"]),
        .testTarget(name: "CVFiltersTests", dependencies: ["CVFilters", "CVIO", "CVTestSupport"]),
        .testTarget(name: "CVTransformTests", dependencies: ["CVTransform", "CVIO", "CVTestSupport"]),
        .testTarget(name: "CVFeaturesTests", dependencies: ["CVFeatures", "CVIO", "CVTestSupport"]),
        .testTarget(name: "CVLearnTests", dependencies: ["CVLearn", "CVTestSupport"]),
        .testTarget(name: "CVDetectTests", dependencies: ["CVDetect", "CVIO", "CVTestSupport"]),
        .testTarget(name: "CvtoolTests", dependencies: ["cvtool", "CVTestSupport"]),
        // Every ```swift block of README.md, compiled and run; a test checks they match the README.
        .testTarget(name: "ReadmeExamplesTests", dependencies: ["ClassicCV", "CVTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
