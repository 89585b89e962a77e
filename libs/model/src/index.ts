export { loadModelCard, ModelCardSchema, windowSeconds, type LoadedCard, type ModelCard } from './model-card';
export { BatchedInference, Batcher, pack } from './batched-inference';
export { activate, OnnxVideoModel, type Precision } from './onnx-video-model';
export { StreamingVideoModel } from './streaming-video-model';
export { type ExecutionProvider, type ModelRuntimeOptions } from './session';
export { loadVideoModel, type InferenceStats, type ModelMode, type ScoredWindow, type VideoModel, type VideoModelOptions, type WindowScorer } from './video-model';
export { resolveModelCard, shippedModelCard } from './paths';
export { assembleWindow, frameLength, normaliseFrame, toPixelValues, windowLength, writeWindow, type RgbImage } from './preprocess';
export { SlidingWindow } from './sliding-window';
