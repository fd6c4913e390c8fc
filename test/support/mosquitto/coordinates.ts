/** How tests reach a Mosquitto broker: plain data that global setup hands to test files (`inject('mosquitto')`). */
export interface MosquittoCoordinates {
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The broker's log (connections, errors). */
  readonly logFile: string;
}
