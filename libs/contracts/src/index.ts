export { EVENT_KINDS, type EventKind } from './event-kind';
export {
  ACK_SCHEMA_ID,
  AckMessageSchema,
  EVENT_SCHEMA_ID,
  EventMessageSchema,
  type AckMessage,
  ExplanationSchema,
  MAX_TIMELINE_POINTS,
  type EventMessage,
  type EventState,
  type Explanation,
} from './event-message';
export { AVAILABILITY, DETECTION, topics } from './topics';
export { contractJsonSchemas } from './json-schemas';
export { keyId, parsePublicKey, publicKeyText, signMessage, verifyMessage, type SitePublicKey, type Verification } from './signature';
export { CameraStateSchema, type CameraState } from './camera-state';
