export { csvField, csvText } from "../io/csv-text.js";
