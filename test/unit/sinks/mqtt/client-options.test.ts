import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { clientOptions } from '../../../../src/sinks/mqtt/client-options.ts';
import { mqttConfig } from './config.ts';

/** A logger at `level` and the lines it wrote, parsed. */
function recordingLogger(level: string): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level }, destination), lines };
}

describe('mqtt.js client options', () => {
  const config = mqttConfig({ 'mqtt.url': 'mqtt://broker:1883' });

  it("hands mqtt.js's debug lines to the logger at trace, formatted", () => {
    const { logger, lines } = recordingLogger('trace');
    clientOptions(config, logger).log?.('publish :: message `%s` to topic `%s`', 'x', 'acme/a');

    expect(lines).toMatchObject([
      { level: 10, library: 'mqtt.js', msg: 'publish :: message `x` to topic `acme/a`' },
    ]);
  });

  it('leaves packets out: the CONNECT packet carries the password', () => {
    const { logger, lines } = recordingLogger('trace');
    const connect = { cmd: 'connect', username: 'u', password: Buffer.from('s3cret-pass') };
    clientOptions(config, logger).log?.('_writePacket :: packet: %O', connect);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('s3cret-pass');
    expect(JSON.stringify(lines)).not.toContain(Buffer.from('s3cret-pass').toString('hex'));
    expect(lines[0]?.msg).toBe("_writePacket :: packet: '[object]'");
  });

  it('drops them above trace, and follows a level changed later', () => {
    const { logger, lines } = recordingLogger('info');
    const log = clientOptions(config, logger).log;
    log?.('_writePacket :: writing to stream');
    expect(lines).toEqual([]);

    logger.level = 'trace';
    log?.('_writePacket :: writing to stream');
    expect(lines).toHaveLength(1);
  });
});
