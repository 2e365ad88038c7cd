export { writeFileAtomic } from "./atomic-write.js";
export { failedReportPath } from "./failed-report.js";
export type { OutputFs } from "./output-fs.js";
export type { OutputPlan, OutputRequest, PlanOptions, SaveResult } from "./output-plan.js";
export { planOutputs } from "./output-plan.js";
export { replaceFile } from "./replace-file.js";
export { describeIoError, OutputWriteError } from "./write-error.js";
