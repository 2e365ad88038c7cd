export { linearRunDocument, runFinished } from "../tasks/linear-run-document.js";
