export { checkBind, DEFAULTS, isLoopback, type ServeOptions } from "./options.js";
export { type RunningServer, type StartOptions, startServer } from "./server.js";
