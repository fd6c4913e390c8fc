/**
 * Fetches the Kafka broker jars pinned in `pom.xml` into `.cache/kafka/<version>/libs`, once.
 *
 * Run as `node test/support/kafka/install.ts` (`make kafka`) or call {@link ensureKafkaInstalled}: the test
 * harness does, so `npx vitest` works on a machine where `make` was never run.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../paths.ts';
import { findExecutable, runGuarded } from '../process.ts';

const pomFile = fileURLToPath(new URL('pom.xml', import.meta.url));

/** Milliseconds Maven may take to resolve the jars on a cold cache. */
const fetchTimeoutMs = 600_000;

/** Where a Kafka version's jars are. */
export interface KafkaInstallation {
  /** Kafka version, from `pom.xml`. */
  readonly version: string;
  /** Directory holding every jar the broker needs. */
  readonly libsDir: string;
  /** `libsDir/*`, for `java -cp`. */
  readonly classpath: string;
}

/** The Kafka version pinned in `pom.xml` (`<kafka.version>`). */
export async function kafkaVersion(): Promise<string> {
  const pom = await readFile(pomFile, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (version === undefined) throw new Error(`${pomFile} has no <kafka.version> property`);
  return version;
}

/**
 * Makes sure the jars of the pinned Kafka version are in the cache, fetching them with Maven only when missing.
 * Safe to call concurrently: jars are resolved into a private folder and renamed into place.
 *
 * @returns the installation, and whether this call fetched it
 * @throws Error saying to install Maven when jars are missing and `mvn` is not on PATH, or with Maven's output
 *   when it fails
 */
export async function ensureKafkaInstalled(): Promise<KafkaInstallation & { readonly fetched: boolean }> {
  const version = await kafkaVersion();
  const libsDir = `${cacheDir}/kafka/${version}/libs`;
  const installation = { version, libsDir, classpath: `${libsDir}/*` };
  if (await hasBrokerJar(libsDir, version)) return { ...installation, fetched: false };
  await fetchJars(libsDir);
  return { ...installation, fetched: true };
}

async function hasBrokerJar(libsDir: string, version: string): Promise<boolean> {
  const jars = await readdir(libsDir).catch((): string[] => []);
  return jars.includes(`kafka_2.13-${version}.jar`);
}

async function fetchJars(libsDir: string): Promise<void> {
  const mvn = findExecutable('mvn');
  if (mvn === undefined) {
    throw new Error(
      'Maven (mvn) is needed once to fetch the Kafka broker jars from Maven Central: install it ' +
        '(apt-get install maven), or set KAFKA_BOOTSTRAP to run the tests against an existing broker.',
    );
  }
  const partial = `${libsDir}.partial-${process.pid}`;
  try {
    const goal = ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${partial}`];
    await runGuarded(mvn, ['-q', '-B', '-f', pomFile, ...goal], { timeoutMs: fetchTimeoutMs });
    await rename(partial, libsDir).catch((error: unknown) => {
      // Another process installed the same version meanwhile: keep theirs.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    });
  } catch (error) {
    throw new Error(`could not fetch the Kafka jars into ${libsDir} with Maven`, { cause: error });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const startedAt = performance.now();
  const { version, libsDir, fetched } = await ensureKafkaInstalled();
  const jars = (await readdir(libsDir)).length;
  const how = fetched ? `fetched in ${((performance.now() - startedAt) / 1000).toFixed(1)} s` : 'cached';
  console.log(`kafka ${version}: ${jars} jars in ${libsDir} (${how})`);
}
