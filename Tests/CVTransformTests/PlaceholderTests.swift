import XCTest
@testable import CVTransform
final class CVTransformPlaceholderTests: XCTestCase { func testBuilds() {} }
