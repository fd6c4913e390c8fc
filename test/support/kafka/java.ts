import { findExecutable } from '../process.ts';

/**
 * Absolute path of a JDK tool, from `$JAVA_HOME/bin` or else PATH.
 *
 * @param name `java` or `keytool`
 * @throws Error saying to install Java 17+ or set KAFKA_BOOTSTRAP, when the tool is not found
 */
export function javaTool(name: 'java' | 'keytool'): string {
  const javaHome = process.env['JAVA_HOME'];
  const tool =
    (javaHome === undefined ? undefined : findExecutable(`${javaHome}/bin/${name}`)) ?? findExecutable(name);
  if (tool === undefined) {
    throw new Error(
      `${name} not found (JAVA_HOME/bin, PATH): the local Kafka broker needs Java 17 or later ` +
        '(apt-get install openjdk-17-jre-headless), or set KAFKA_BOOTSTRAP to use an existing broker.',
    );
  }
  return tool;
}
