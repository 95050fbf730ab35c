// The training report: `buildReport(runDir)` writes <run>/report.html and figures/*.png;
// `registerReportCommand` adds `digits report`.
export { buildReport, type BuildReportOptions, type BuildReportResult } from './build-report';
export { registerReportCommand, resolveRun } from './report-command';
export { readRunData, type RunData } from './run-data';
