export {
  type ImageSweeper,
  type ImageSweeperOptions,
  type SweepResult,
  startImageSweeper,
} from './image-sweeper.js';
export {
  InvalidRetentionSettingError,
  type RetentionSettings,
  retentionSettings,
} from './retention-settings.js';
