export { loadModelCard, ModelCardSchema, windowSeconds, type LoadedCard, type ModelCard } from './model-card';
export { BatchedInference, Batcher, pack } from './batched-inference';
export { activate, OnnxVideoModel, type Precision } from './onnx-video-model';
export { StreamingVideoModel } from './streaming-video-model';
export { type ExecutionProvider, type ModelRuntimeOptions } from './session';
export {
  loadVideoModel,
  type InferenceStats,
  type ModelMode,
  type ScoredWindow,
  type VideoModel,
  type VideoModelOptions,
  type WindowScorer,
} from './video-model';
export { resolveModelCard, resolvePoseFallCard, shippedModelCard } from './paths';
export { assembleWindow, frameLength, normaliseFrame, toPixelValues, windowLength, writeWindow, type RgbImage } from './preprocess';
export { SlidingWindow } from './sliding-window';
export { KEYPOINT_NAMES, PoseCardSchema, PoseEstimator, shippedPoseCard, type Keypoint, type PoseCard } from './pose/pose-estimator';
export { PoseFallCardSchema, PoseFallModel, shippedPoseFallCard, type PoseFallCard } from './pose/pose-fall';
export { maxBlockChange, PoseFallScorer, PoseStage, PoseTracker, withPoseFall } from './pose/pose-stage';
export { cropResize, fromCrop, FULL_PICTURE, nextCropRegion, type CropRegion } from './pose/crop-tracker';
