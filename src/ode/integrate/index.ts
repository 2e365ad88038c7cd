export { IntegrationError, type IntegrationFailure } from "./errors.js";
export { integrate } from "./integrate.js";
export { DEFAULT_ATOL, DEFAULT_MAX_STEPS, DEFAULT_RTOL } from "./options.js";
