export { loadModelCard, ModelCardSchema, windowSeconds, type LoadedCard, type ModelCard } from './model-card';
export { BatchedInference } from './batched-inference';
export { activate, OnnxVideoModel, type ExecutionProvider, type ModelRuntimeOptions } from './onnx-video-model';
export { shippedModelCard } from './paths';
export { assembleWindow, frameLength, normaliseFrame, toPixelValues, windowLength, writeWindow, type RgbImage } from './preprocess';
export { SlidingWindow } from './sliding-window';
