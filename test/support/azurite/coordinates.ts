/** How tests reach Azurite's Blob service: plain data that global setup hands to test files (`inject('azurite')`). */
export interface AzuriteCoordinates {
  /** `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly blobEndpoint: string;
  readonly port: number;
  /** Azure Storage connection string of the emulator's well-known account. */
  readonly connectionString: string;
  /** Azurite's own output. */
  readonly logFile: string;
}
