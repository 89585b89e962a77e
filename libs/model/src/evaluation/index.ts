export { thresholdForBudget, type BudgetChoice } from './calibrate';
export { EVENT_CLASSES, readEvalSet, windowLabel, type EvalClip, type EventClass } from './eval-set';
export {
  averagePrecision,
  confusion,
  eventMetrics,
  falseAlarmsPerCameraHour,
  falseAlarmsPerHour,
  groupRows,
  prCurve,
  sourceWeightedRecall,
  windowMetrics,
  type ClipResult,
  type GroupBy,
  type RaisedEvent,
} from './metrics';
export { escapeXml, prCurvesSvg, svgDocument, timelinesSvg } from './plots';
export { renderCalibration, renderMarkdown, type EvalSummary } from './report';
