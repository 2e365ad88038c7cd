export { createQrWorkspace, type QrWorkspace, qrPivoted } from "./householder-qr.js";
export { createSvdWorkspace, type SvdWorkspace, svd } from "./svd.js";
