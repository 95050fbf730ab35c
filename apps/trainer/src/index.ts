export { registerTrainerCommands } from './commands';
