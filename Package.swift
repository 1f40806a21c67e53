// swift-tools-version:6.0
import PackageDescription

// Layering (see DESIGN.md §1): C shims -> CVCore -> CVIO / algorithms -> ClassicCV umbrella -> cvtool.
let package = Package(
    name: "ClassicCV",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ClassicCV", targets: ["ClassicCV"]),
        .executable(name: "cvtool", targets: ["cvtool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .target(name: "CVIO", dependencies: ["CVCore", "CCodecs"]),
        .target(name: "CVFilters", dependencies: ["CVCore", "CKernels"]),
        .target(name: "CVTransform", dependencies: ["CVCore", "CKernels", "CFFTW"]),
        .target(name: "CVFeatures", dependencies: ["CVCore"]),
        .target(name: "CVLearn", dependencies: ["CLAPACK"]),
        .target(name: "ClassicCV", dependencies: ["CVCore", "CVIO", "CVFilters", "CVTransform", "CVFeatures", "CVLearn"]),
        .executableTarget(
            name: "cvtool",
            dependencies: [
                "ClassicCV",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CVCoreTests", dependencies: ["CVCore"]),
        .testTarget(name: "CVIOTests", dependencies: ["CVIO", "CVCore"]),
        .testTarget(name: "CVFiltersTests", dependencies: ["CVFilters", "CVIO"]),
        .testTarget(name: "CVTransformTests", dependencies: ["CVTransform", "CVIO"]),
        .testTarget(name: "CVFeaturesTests", dependencies: ["CVFeatures", "CVIO"]),
        .testTarget(name: "CVLearnTests", dependencies: ["CVLearn"]),
        .testTarget(name: "CvtoolTests", dependencies: ["cvtool"]),
    ],
    swiftLanguageModes: [.v5]
)
