import { describe, expect, it } from 'vitest';
import { statusView } from '../../../src/api/status-view.ts';
import type { ConnectorStatus } from '../../../src/engine/index.ts';

const base: ConnectorStatus = {
  name: 'c',
  state: 'RUNNING',
  degraded: false,
  inFlight: { records: 0, unsettled: 0, bytes: 0, full: false },
  partitions: [],
  offsets: [],
  sinks: [],
};
const who = { workerId: 'w', version: '1.0.0' };

describe('status view', () => {
  it('has one task without members, and one more per member process with its own state and worker id', () => {
    expect(statusView(base, who).tasks).toEqual([
      { id: 0, state: 'RUNNING', worker_id: 'w', version: '1.0.0' },
    ]);
    const view = statusView(
      {
        ...base,
        members: [
          { id: 1, state: 'RUNNING' },
          { id: 2, state: 'FAILED', trace: 'E: fix it' },
        ],
      },
      who,
    );
    expect(view.tasks).toEqual([
      { id: 0, state: 'RUNNING', worker_id: 'w', version: '1.0.0' },
      { id: 1, state: 'RUNNING', worker_id: 'w-member-1', version: '1.0.0' },
      { id: 2, state: 'FAILED', worker_id: 'w-member-2', version: '1.0.0', trace: 'E: fix it' },
    ]);
    expect(
      statusView({ ...base, state: 'STOPPED', members: [{ id: 1, state: 'STOPPED' }] }, who).tasks,
    ).toEqual([]);
  });
});
