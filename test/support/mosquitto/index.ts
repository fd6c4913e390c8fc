export { MosquittoBroker, mosquittoBinary, startMosquitto, type StartMosquittoOptions } from './broker.ts';
export type { MosquittoCoordinates } from './coordinates.ts';
