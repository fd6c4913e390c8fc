/**
 * Preview: sample records through a connector's decoder, transforms and sink encoders, stage by stage, without
 * sending anything anywhere (`logbridge preview`, `POST /connectors/{name}/preview`, the console's preview pane).
 * @module
 */
export { runPreview, type PreviewParts } from './preview.ts';
export { samplesFromText, samplesFromList, SampleError, type SampleDefaults } from './samples.ts';
export { MAX_SHOWN_VALUE_BYTES } from './render.ts';
export type {
  PreviewReport,
  RecordTrace,
  FlushTrace,
  StepView,
  OutputView,
  SinkOutput,
  EventView,
  RecordView,
  DeadLetterView,
  ErrorView,
} from './report.ts';
