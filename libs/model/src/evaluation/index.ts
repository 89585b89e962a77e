export { THRESHOLD_GRID, thresholdForBudget, type BudgetChoice, type OperatingPoint } from './calibrate';
export { EVENT_CLASSES, isCompanion, readEvalSet, windowLabel, type ClipClass, type EvalClip, type EventClass } from './eval-set';
export {
  averagePrecision,
  confusion,
  eventMetrics,
  falseAlarmsPerCameraHour,
  falseAlarmsPerHour,
  groupRows,
  LONG_RECORDING_SECONDS,
  prCurve,
  prf,
  sourceWeightedRecall,
  windowMetrics,
  type CameraHourRate,
  type ClipResult,
  type EventMetrics,
  type GroupBy,
  type GroupRow,
  type Prf,
  type RaisedEvent,
  type ScoredWindowAt,
} from './metrics';
export { CLASS_COLOURS, escapeXml, prCurvesSvg, svgDocument, timelinesSvg } from './plots';
export { renderCalibration, renderMarkdown, type EvalSummary } from './report';
