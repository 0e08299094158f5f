import type { EcomDrainResult } from '../../workflows/contracts/ecom-writer';
import { drainEcomQueue, type EcomDrainDeps } from './queue-drain';

/** The activities of an eCom connection's writer (workflows/ecom-writer.ts). */
export function createEcomWriterActivities(deps: EcomDrainDeps) {
  return {
    async drainEcomQueue(input: { connectionId: string; upToSeq?: string; limit: number }): Promise<EcomDrainResult> {
      return drainEcomQueue(deps, input);
    },
  };
}
