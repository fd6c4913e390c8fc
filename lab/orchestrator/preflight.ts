/**
 * Checks made before anything starts, so that a missing tool or a taken port is reported at once, with its fix,
 * rather than after Kafka has started.
 * @module
 */
import { javaTool } from '../../test/support/kafka/java.ts';
import { mosquittoBinary } from '../../test/support/mosquitto/index.ts';
import { assertPortFree, LabError } from './lab-error.ts';
import type { LabSettings } from './settings.ts';

/**
 * Java and Mosquitto are installed, and the fixed ports are free.
 * @throws LabError saying what to install or which port to free
 */
export async function preflight(settings: LabSettings): Promise<void> {
  tool(
    'Java (for the Kafka broker)',
    'install Java 17 or later (apt-get install openjdk-17-jre-headless) or set JAVA_HOME',
    () => javaTool('java'),
  );
  tool('Mosquitto', 'run `make mosquitto` (Debian package), or set MOSQUITTO_BIN to its path', () =>
    mosquittoBinary(),
  );
  if (settings.hecPort !== 0) await assertPortFree(settings.hecPort, 'the HEC test server', 'LAB_HEC_PORT');
  if (settings.restPort !== 0)
    await assertPortFree(settings.restPort, "logbridge's REST API", 'LAB_REST_PORT');
}

function tool(what: string, fix: string, find: () => string): void {
  try {
    find();
  } catch (error) {
    throw new LabError(`${what} is missing`, fix, { cause: error });
  }
}
