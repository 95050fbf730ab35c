export { spawnTsWorker, availableThreads } from './spawn-ts-worker';
