import ClassicCV

/// Bounding-box regression for a trained model, fitted on annotated training scenes with the
/// options it will detect with, then applied by `detect` before NMS.
func addBoxRegression(to model: HOGDetectorModel, scenes: [Image<UInt8>], boxes: [[Detection]],
                      test: Image<UInt8>) throws -> (model: HOGDetectorModel, found: [Detection]) {
    let options = HOGDetectorParameters(hitThreshold: -1, padding: HOGSize(8, 8), scale: 1.02, groupThreshold: 0,
                                        grouping: .nms(iou: 0.4))
    var refined = model
    refined.boxRegression = try fitBoxRegression(detector: HOGDetector(model: model, parameters: options), images: scenes,
                                                 groundTruth: boxes, parameters: HOGBoxRegressionParameters(alpha: 100, minimumIoU: 0.4))
    return (refined, try HOGDetector(model: refined, parameters: options).detect(in: test))   // boxes moved before NMS
}
