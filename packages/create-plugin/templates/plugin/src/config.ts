import { z } from 'zod';
import { HighlightLabel } from './contract.ts';

/** Set per server in `PLUGIN_CONFIG`, e.g. `{"starter-kit":{"streamStartLabel":"Live!"}}`; every field has a default. */
export const StarterKitConfig = z
  .object({
    /** The label of the highlight marked when a stream starts. */
    streamStartLabel: HighlightLabel.default('Stream started'),
  })
  .strict();
export type StarterKitConfig = z.output<typeof StarterKitConfig>;
