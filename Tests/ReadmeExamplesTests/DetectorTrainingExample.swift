import ClassicCV

/// A detector for 32×64 windows trained with two hard-negative rounds, and its OpenCV file.
func trainDetector(positives: [Image<UInt8>], negatives: [Image<UInt8>],
                   scene: Image<UInt8>) throws -> (model: HOGDetectorModel, found: [Detection], yaml: String) {
    var p = HOGDetectorTrainingParameters(window: .init(width: 32, height: 64), C: 0.05, rounds: 2, seed: 1)
    p.miningThreshold = -1                                   // mine the margin too, not only score > 0
    let model = try HOGDetectorTrainer(parameters: p).train(positives: positives, negatives: negatives) { round in
        print("round \(round.round): \(round.falsePositives) false positives, \(round.added) added")
    }
    let detector = try HOGDetector(model: model, parameters: HOGDetectorParameters(groupThreshold: 0, grouping: .nms(iou: 0.2)))
    return (model, try detector.detect(in: scene), model.opencvYAML())   // cv2.HOGDescriptor.load reads the YAML
}
