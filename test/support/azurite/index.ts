export { startAzurite, AzuriteServer, AZURITE_ACCOUNT, type StartAzuriteOptions } from './server.ts';
export type { AzuriteCoordinates } from './coordinates.ts';
