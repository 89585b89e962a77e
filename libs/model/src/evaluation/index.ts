export { EVENT_CLASSES, isCompanion, readEvalSet, windowLabel, type ClipClass, type EvalClip, type EventClass } from './eval-set';
export { confusion, eventMetrics, falseAlarmsPerHour, prCurve, prf, windowMetrics, type ClipResult, type EventMetrics, type Prf, type RaisedEvent, type ScoredWindowAt } from './metrics';
export { CLASS_COLOURS, escapeXml, prCurvesSvg, svgDocument, timelinesSvg } from './plots';
export { renderMarkdown, type EvalSummary } from './report';
