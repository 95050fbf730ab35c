// The training report: `buildReport(runDir)` writes <run>/report.html and figures/*.png;
// `registerReportCommand` adds `digits report`.
export { buildReport, type BuildReportOptions, type BuildReportResult } from './build-report';
export { registerReportCommand } from './report-command';
export { resolveRun } from '../run-folder';
export { readRunData, type RunData } from './run-data';
